import type { CalendarDate } from '../../shared/model/calendar-date';
import { daysBetween } from '../../shared/analysis/calendar';
import type { RandomStream } from './random';

export function addDays(date: CalendarDate, days: number): CalendarDate {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** A uniformly random day in [from, to], both included. */
export function randomDate(random: RandomStream, from: CalendarDate, to: CalendarDate): CalendarDate {
  return addDays(from, random.integer(0, daysBetween(from, to)));
}

export function earlier(a: CalendarDate, b: CalendarDate): CalendarDate {
  return a < b ? a : b;
}

export function later(a: CalendarDate, b: CalendarDate): CalendarDate {
  return a > b ? a : b;
}

/** A random day of 2021 (up to `asOf`) whose month is drawn from `monthWeights` (`'01'`..`'12'`). */
export function randomDateByMonth(
  random: RandomStream,
  year: number,
  monthWeights: Readonly<Record<string, number>>,
  notAfter: CalendarDate,
): CalendarDate {
  const month = random.weighted(monthWeights);
  const first = `${year}-${month}-01`;
  const last = new Date(Date.UTC(year, Number(month), 0)).toISOString().slice(0, 10);
  return randomDate(random, first, earlier(last, notAfter));
}
