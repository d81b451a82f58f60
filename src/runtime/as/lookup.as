// AssemblyScript port of src/runtime/skLookup.ts: scikit-learn's encoders and KBinsDiscretizer as table lookups over
// the preprocessing scratch S. Arrays are addresses in linear memory (i32 and f64 elements); n is the input count.

/** skLookup: each input's row of its table into its destinations; -1, or 4·k + reason of the first failing input. */
function skLookup(
  S: usize,
  src: usize,
  dstStart: usize,
  dst: usize,
  keyStart: usize,
  keys: usize,
  tableStart: usize,
  table: usize,
  fail: usize,
  n: i32,
): i32 {
  let failed = -1;
  for (let k = 0; k < n; k++) {
    const v = load<f64>(S + (<usize>load<i32>(src + (<usize>k << 2)) << 3));
    const ks = load<i32>(keyStart + (<usize>k << 2));
    const nKeys = load<i32>(keyStart + (<usize>(k + 1) << 2)) - ks;
    const d0 = load<i32>(dstStart + (<usize>k << 2));
    const width = load<i32>(dstStart + (<usize>(k + 1) << 2)) - d0;
    const flags = load<i32>(fail + (<usize>k << 2));
    let row = nKeys + 1;
    if (v != v) {
      row = nKeys;
      if (failed < 0 && (flags & 2) != 0) failed = 4 * k + 2;
    } else {
      let lo = ks;
      let hi = ks + nKeys - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const key = load<f64>(keys + (<usize>mid << 3));
        if (key < v) lo = mid + 1;
        else if (key > v) hi = mid - 1;
        else {
          row = mid - ks;
          break;
        }
      }
      if (row == nKeys + 1 && failed < 0 && (flags & 1) != 0) failed = 4 * k + 1;
    }
    const t = load<i32>(tableStart + (<usize>k << 2)) + row * width;
    for (let j = 0; j < width; j++) {
      const d = load<i32>(dst + (<usize>(d0 + j) << 2));
      store<f64>(S + (<usize>d << 3), load<f64>(table + (<usize>(t + j) << 3)));
    }
  }
  return failed;
}

/** skBins: the number of each input's edges <= v; -1, or k of the first input whose value is not finite. */
function skBins(S: usize, src: usize, dst: usize, edgeStart: usize, edges: usize, n: i32): i32 {
  let failed = -1;
  for (let k = 0; k < n; k++) {
    const v = load<f64>(S + (<usize>load<i32>(src + (<usize>k << 2)) << 3));
    let lo = load<i32>(edgeStart + (<usize>k << 2));
    const s = lo;
    let hi = load<i32>(edgeStart + (<usize>(k + 1) << 2));
    if (v - v != 0) {
      if (failed < 0) failed = k;
      hi = lo;
    }
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (load<f64>(edges + (<usize>mid << 3)) <= v) lo = mid + 1;
      else hi = mid;
    }
    store<f64>(S + (<usize>load<i32>(dst + (<usize>k << 2)) << 3), <f64>(lo - s));
  }
  return failed;
}
