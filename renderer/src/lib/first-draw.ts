// Work that competes with the map's first draw for the two or so CPUs a surveyor's laptop has (a
// large layer's whole read in a worker) starts after it: the map shows the data first, the counts
// follow. A new map (a workspace switch) makes such work wait again.

let drawn = false;
const waiting = new Set<() => void>();
/** Work waits at most this long for a map that never reports its draw (it failed, or none is shown). */
const longestWaitMs = 60_000;

/** A map is being built: work asked for from now waits for its first draw. */
export function mapDrawing(): void {
  drawn = false;
}

/** The map has drawn every layer in view once. */
export function mapDrawn(): void {
  drawn = true;
  for (const wake of [...waiting]) wake();
  waiting.clear();
}

/** Resolves once the map has drawn (at once if it has). */
export function afterMapDrawn(): Promise<void> {
  if (drawn) return Promise.resolve();
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      waiting.delete(wake);
      resolve();
    };
    const timer = setTimeout(wake, longestWaitMs);
    waiting.add(wake);
  });
}
