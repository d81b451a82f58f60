// scikit-learn AdaBoostRegressor._get_median_predict (ensemble/_weight_boosting.py) for one row: the estimators'
// predictions v sorted (np.argsort), their weights' cumulative sum in that order (np.cumsum: sequential), the first
// position whose cumulative weight is >= 0.5 · the total (the last cumulative sum); that position's prediction.
// Ties keep estimator order (a stable sort): numpy's default argsort is not stable, so the order of tied values is
// its own, but tied values are equal, so the order only changes the rounding of the cumulative sums.

/**
 * The weighted median of v[0..n) with weights w[0..n). idx and tmp: scratch of at least n int32. Bottom-up merge
 * sort of the indices by value (stable, no recursion), then the sequential cumulative sums.
 */
export function weightedMedian(v: ArrayLike<number>, w: ArrayLike<number>, n: number, idx: Int32Array, tmp: Int32Array): number {
  for (let i = 0; i < n; i++) idx[i] = i;
  let a = idx;
  let b = tmp;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) b[k++] = v[a[j]!]! < v[a[i]!]! ? a[j++]! : a[i++]!;
      while (i < mid) b[k++] = a[i++]!;
      while (j < hi) b[k++] = a[j++]!;
    }
    const t = a;
    a = b;
    b = t;
  }
  let total = 0;
  for (let k = 0; k < n; k++) total = k === 0 ? w[a[0]!]! : total + w[a[k]!]!;
  const half = 0.5 * total;
  let c = 0;
  for (let k = 0; k < n; k++) {
    c = k === 0 ? w[a[0]!]! : c + w[a[k]!]!;
    if (c >= half) return v[a[k]!]!;
  }
  return v[a[0]!]!; // no position qualifies (NaN weights): argmax of all-False is 0
}
