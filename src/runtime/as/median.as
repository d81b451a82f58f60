// AssemblyScript port of src/runtime/weightedMedian.ts (scikit-learn AdaBoostRegressor's weighted median).
// v: n f64 values, w: n f64 weights, idx and tmp: scratch of n i32, all in linear memory.

/** Weighted median of the n values at v: stable merge sort of indices by value, sequential cumulative weights. */
function weightedMedian(v: usize, w: usize, n: i32, idx: usize, tmp: usize): f64 {
  for (let i = 0; i < n; i++) store<i32>(idx + (<usize>i << 2), i);
  let a = idx;
  let b = tmp;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = min<i32>(lo + width, n);
      const hi = min<i32>(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        const ai = load<i32>(a + (<usize>i << 2));
        const aj = load<i32>(a + (<usize>j << 2));
        if (load<f64>(v + (<usize>aj << 3)) < load<f64>(v + (<usize>ai << 3))) {
          store<i32>(b + (<usize>k << 2), aj);
          j++;
        } else {
          store<i32>(b + (<usize>k << 2), ai);
          i++;
        }
        k++;
      }
      for (; i < mid; i++, k++) store<i32>(b + (<usize>k << 2), load<i32>(a + (<usize>i << 2)));
      for (; j < hi; j++, k++) store<i32>(b + (<usize>k << 2), load<i32>(a + (<usize>j << 2)));
    }
    const t = a;
    a = b;
    b = t;
  }
  let total: f64 = 0.0;
  for (let k = 0; k < n; k++) {
    const wk = load<f64>(w + (<usize>load<i32>(a + (<usize>k << 2)) << 3));
    total = k == 0 ? wk : total + wk;
  }
  const half = 0.5 * total;
  let c: f64 = 0.0;
  for (let k = 0; k < n; k++) {
    const ak = load<i32>(a + (<usize>k << 2));
    const wk = load<f64>(w + (<usize>ak << 3));
    c = k == 0 ? wk : c + wk;
    if (c >= half) return load<f64>(v + (<usize>ak << 3));
  }
  return load<f64>(v + (<usize>load<i32>(a) << 3));
}
