// AssemblyScript ports of src/runtime/argmax.ts and catGoesLeft.ts, and the ascending sort of XGBoost's quantile
// outputs (Float64Array.prototype.sort order: -0 before +0, NaN last). Values are f64 arrays in linear memory.

/** Index of the first maximum of n f64 values at v; NaN counts as the maximum (numpy). */
function argmax(v: usize, n: i32): i32 {
  let best = 0;
  let bv = load<f64>(v);
  if (bv != bv) return 0;
  for (let i = 1; i < n; i++) {
    const x = load<f64>(v + (<usize>i << 3));
    if (x != x) return i;
    if (x > bv) {
      bv = x;
      best = i;
    }
  }
  return best;
}

/** Categorical split test on a bitset of nWords u32 words at words + 4 * start: does v go left? */
function catGoesLeft(
  v: f64,
  words: usize,
  start: i32,
  nWords: i32,
  memberLeft: bool,
  invalidToDefault: bool,
  limit: f64,
  truncateFirst: bool,
  defaultLeft: bool,
): bool {
  if (v != v) return defaultLeft;
  const c = trunc<f64>(v);
  const r = truncateFirst ? c : v;
  if (!(r >= 0.0 && r < limit)) return invalidToDefault ? defaultLeft : !memberLeft;
  const ci = <u32><u64>c; // ToUint32, as `c >>> 5` in JavaScript
  const w = <i32>(ci >>> 5);
  const member = w < nWords && ((load<u32>(words + (<usize>(start + w) << 2)) >>> (ci & 31)) & 1) == 1;
  return member == memberLeft;
}

/** a sorts before b as in Float64Array.prototype.sort: numeric, -0 before +0, NaN last. */
function sortBefore(a: f64, b: f64): bool {
  if (b != b) return a == a;
  if (a != a) return false;
  if (a < b) return true;
  if (a == 0.0 && b == 0.0) return reinterpret<i64>(a) < 0 && reinterpret<i64>(b) >= 0;
  return false;
}

/** Stable insertion sort of n f64 values at v (n is the number of outputs: small). */
function sortF64(v: usize, n: i32): void {
  for (let i = 1; i < n; i++) {
    const x = load<f64>(v + (<usize>i << 3));
    let j = i - 1;
    while (j >= 0 && sortBefore(x, load<f64>(v + (<usize>j << 3)))) {
      store<f64>(v + (<usize>(j + 1) << 3), load<f64>(v + (<usize>j << 3)));
      j--;
    }
    store<f64>(v + (<usize>(j + 1) << 3), x);
  }
}
