/**
 * A set of rows keyed by id that keeps only its head — the first `cap` rows in order — sorted, as
 * rows come and go: a list panel shows its count and its first rows, so an edit must not sort the
 * whole set again. Adding costs O(cap); removing a row of the head scans the set once for the
 * row that moves up, removing any other row is O(1).
 */
export class RankedRows<Row> {
  private readonly rows = new Map<string, Row>();
  /** The first min(cap, size) rows in order. */
  private readonly head: Row[] = [];

  constructor(
    private readonly cap: number,
    private readonly compare: (left: Row, right: Row) => number,
    private readonly idOf: (row: Row) => string,
  ) {}

  get size(): number {
    return this.rows.size;
  }

  /** The head, in order (at most `cap` rows). */
  shown(): Row[] {
    return [...this.head];
  }

  /** Adds a row, or replaces the row with its id. */
  put(row: Row): void {
    const id = this.idOf(row);
    if (this.rows.has(id)) this.delete(id);
    this.rows.set(id, row);
    if (this.cap <= 0) return;
    const last = this.head[this.head.length - 1];
    // While the head is not full it holds every row; once full, only a row before its last gets in.
    if (this.head.length < this.cap || (last !== undefined && this.compare(row, last) < 0)) {
      this.head.splice(this.insertionIndex(row), 0, row);
      if (this.head.length > this.cap) this.head.pop();
    }
  }

  delete(id: string): void {
    const row = this.rows.get(id);
    if (row === undefined) return;
    this.rows.delete(id);
    const index = this.head.indexOf(row);
    if (index === -1) return;
    this.head.splice(index, 1);
    if (this.rows.size > this.head.length) {
      // Every row outside the head sorts after the head's last: the smallest of them moves up.
      const last = this.head[this.head.length - 1];
      let next: Row | undefined;
      for (const candidate of this.rows.values()) {
        if (last !== undefined && this.compare(candidate, last) <= 0) continue;
        if (next === undefined || this.compare(candidate, next) < 0) next = candidate;
      }
      if (next !== undefined) this.head.push(next);
    }
  }

  private insertionIndex(row: Row): number {
    let low = 0;
    let high = this.head.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.compare(this.head[middle] as Row, row) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
