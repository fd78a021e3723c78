/**
 * The `q`-quantile (0 < q ≤ 1) of a bucketed distribution: `counts[i]` values in (`boundsMs[i-1]`, `boundsMs[i]`],
 * the last count above the last bound. Interpolates linearly inside the bucket (as Prometheus'
 * `histogram_quantile` does); a quantile that falls in the overflow bucket is reported as the last bound (a lower
 * bound of the truth). Null when there are no values.
 */
export function bucketQuantile(
  boundsMs: readonly number[],
  counts: readonly number[],
  q: number,
): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total <= 0) return null;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i] ?? 0;
    if (c > 0 && below + c >= rank) {
      const upper = boundsMs[i];
      if (upper === undefined) return boundsMs.at(-1) ?? null;
      const lower = i === 0 ? 0 : (boundsMs[i - 1] ?? 0);
      return lower + ((upper - lower) * (rank - below)) / c;
    }
    below += c;
  }
  return boundsMs.at(-1) ?? null;
}
