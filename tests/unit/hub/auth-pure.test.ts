// The hub's pure auth and pull helpers: the failed sign-in window and the pull cursor.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SIGN_IN_LIMITS, FailedAttempts } from '../../../server/auth/attempts';
import { decodeCursor, encodeCursor } from '../../../server/pull/cursor';

describe('FailedAttempts', () => {
  it('blocks after the limit and lets the user in again once the oldest failure ages out', () => {
    let now = 1_000_000;
    const attempts = new FailedAttempts({ ...DEFAULT_SIGN_IN_LIMITS, maxFailuresPerUser: 3, windowSeconds: 60 }, () => now);
    for (let i = 0; i < 3; i += 1) {
      expect(attempts.blockedFor('Li', '10.0.0.1')).toBe(0);
      attempts.fail('Li', '10.0.0.1');
      now += 10_000;
    }
    // Failures at 0 s, 10 s, 20 s; now 30 s: blocked until the first is 60 s old.
    expect(attempts.blockedFor('li', '10.0.0.2')).toBe(30);
    now += 29_000;
    expect(attempts.blockedFor('li', '10.0.0.2')).toBe(1);
    now += 1_000;
    expect(attempts.blockedFor('li', '10.0.0.2')).toBe(0);
    expect(attempts.blockedFor('other', '10.0.0.1')).toBe(0);
  });
});

describe('pull cursor', () => {
  it('round-trips and refuses what it did not make', () => {
    const cursor = new Map([[131121, 7], [131102, 12], [0, 3]]);
    const text = encodeCursor(cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(text)).toEqual(cursor);
    expect(decodeCursor(undefined)).toEqual(new Map());
    const make = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const bad of ['', 'abc', make([1]), make({ v: 1, s: { 131102: 1.5 } }), make({ v: 1, s: { 1311020: 1 } }), make({ v: 1, s: {}, x: 1 }), make({ v: 1, s: { 131102: '3' } })]) {
      expect(decodeCursor(bad), bad).toBeNull();
    }
  });
});
