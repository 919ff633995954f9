// Which part of another device's journal this device holds: the ranges covered by the packages
// it imported from it. A package's acks tell its reader what the exporter holds of the reader's
// own journal, so the reader's next package for it starts early enough to resend what got lost.

/** A half-open range `(from, to]` of positions. */
export type Interval = readonly [from: number, to: number];

/** `intervals` with `added` merged in: sorted, disjoint, adjacent ranges joined. */
export function addInterval(intervals: readonly Interval[], added: Interval): Interval[] {
  if (added[1] <= added[0]) return [...intervals];
  const all = [...intervals, added].sort((left, right) => left[0] - right[0]);
  const merged: [number, number][] = [];
  for (const [from, to] of all) {
    const last = merged[merged.length - 1];
    if (last !== undefined && from <= last[1]) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}

/** The largest `n` such that every position in `(0, n]` is covered. */
export function contiguousEnd(intervals: readonly Interval[]): number {
  const first = intervals[0];
  return first !== undefined && first[0] <= 0 ? first[1] : 0;
}

/**
 * Where a package for a peer starts: after the last package sent to it — or earlier, when the
 * peer's own packages say it never got everything before that.
 */
export function exportStart(lastSent: number, acked: number | undefined): number {
  return acked === undefined ? lastSent : Math.min(lastSent, acked);
}
