/**
 * Splits an integer total in proportion to weights, exactly (largest remainder; ties go to the
 * earlier key), so that county shares always add up to the report's number.
 */
export function allocateProportionally<K>(total: number, weights: ReadonlyMap<K, number>): Map<K, number> {
  const keys = [...weights.keys()];
  const weightSum = keys.reduce((sum, key) => sum + (weights.get(key) as number), 0);
  const shares = keys.map((key, index) => {
    const exact = (total * (weights.get(key) as number)) / weightSum;
    return { key, index, whole: Math.floor(exact), remainder: exact - Math.floor(exact) };
  });
  let left = total - shares.reduce((sum, share) => sum + share.whole, 0);
  const byRemainder = [...shares].sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const share of byRemainder) {
    if (left <= 0) break;
    share.whole += 1;
    left -= 1;
  }
  return new Map(shares.map((share) => [share.key, share.whole]));
}
