import { afterEach, describe, expect, it, vi } from 'vitest';
import { afterMapDrawn, mapDrawing, mapDrawn } from '../../../renderer/src/lib/first-draw';

const settledWithin = async (promise: Promise<void>) => {
  let settled = false;
  void promise.then(() => (settled = true));
  await vi.advanceTimersByTimeAsync(0);
  return settled;
};

describe('work after the map’s first draw', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits while a map is being drawn, and runs at once after', async () => {
    vi.useFakeTimers();
    mapDrawing();
    const waiting = afterMapDrawn();
    expect(await settledWithin(waiting)).toBe(false);
    mapDrawn();
    expect(await settledWithin(waiting)).toBe(true);
    expect(await settledWithin(afterMapDrawn())).toBe(true);
    // A new map (a workspace switch): wait again.
    mapDrawing();
    expect(await settledWithin(afterMapDrawn())).toBe(false);
  });

  it('does not wait for ever for a map that never draws', async () => {
    vi.useFakeTimers();
    mapDrawing();
    const waiting = afterMapDrawn();
    await vi.advanceTimersByTimeAsync(59_000);
    expect(await settledWithin(waiting)).toBe(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await settledWithin(waiting)).toBe(true);
  });
});
