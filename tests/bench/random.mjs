// mulberry32: a small deterministic PRNG, so every bench run draws exactly the same data.
// Imported by Node benches and by bundled bench pages alike (no Node or DOM imports here).
export function random32(state) {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
