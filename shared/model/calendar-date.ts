import { z } from 'zod';

/**
 * A calendar day, `YYYY-MM-DD`, with no time zone: planned dates, sealing dates and
 * deadlines are days in the planner's calendar, and comparing them as strings is exact.
 */
export const calendarDateSchema = z.iso.date();
export type CalendarDate = z.infer<typeof calendarDateSchema>;

/** An instant with an explicit offset, e.g. `2021-06-30T09:15:00+08:00` or `...Z`. */
export const timestampSchema = z.iso.datetime({ offset: true });
export type Timestamp = z.infer<typeof timestampSchema>;
