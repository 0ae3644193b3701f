/**
 * Whole percentages that add up to exactly 100 (the largest-remainder method, as the Coop's statistics do): floor
 * every share, then give the missing points to the largest remainders, ties to the earlier item. All zeros when the
 * total is 0.
 */
export function largestRemainderPercentages(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total <= 0) return counts.map(() => 0);
  const exact = counts.map((c) => (c * 100) / total);
  const result = exact.map(Math.floor);
  let missing = 100 - result.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (missing-- <= 0) break;
    result[i]! += 1;
  }
  return result;
}
