// scikit-learn's categorical encoders and KBinsDiscretizer as table lookups over the preprocessing scratch S
// (src/ir/types.ts LookupStep, BinsStep): the generated modules and the evaluator run these same loops.

/**
 * Lookup step: input k reads v = S[src[k]], finds it among its keys (ascending, exact) by binary search, and
 * writes row (index | nKeys for NaN | nKeys + 1 for unknown) of its table to its destinations. Returns -1, or
 * 4·k + reason (1: unknown value, 2: NaN) of the first input whose fail flags say scikit-learn raises there
 * (every input is still written).
 */
export function skLookup(
  S: Float64Array,
  src: Int32Array,
  dstStart: Int32Array,
  dst: Int32Array,
  keyStart: Int32Array,
  keys: Float64Array,
  tableStart: Int32Array,
  table: Float64Array,
  fail: Int32Array,
): number {
  let failed = -1;
  const n = src.length;
  for (let k = 0; k < n; k++) {
    const v = S[src[k]!]!;
    const ks = keyStart[k]!;
    const nKeys = keyStart[k + 1]! - ks;
    const d0 = dstStart[k]!;
    const width = dstStart[k + 1]! - d0;
    let row = nKeys + 1;
    if (v !== v) {
      row = nKeys;
      if (failed < 0 && (fail[k]! & 2) !== 0) failed = 4 * k + 2;
    } else {
      let lo = ks;
      let hi = ks + nKeys - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const key = keys[mid]!;
        if (key < v) lo = mid + 1;
        else if (key > v) hi = mid - 1;
        else {
          row = mid - ks;
          break;
        }
      }
      if (row === nKeys + 1 && failed < 0 && (fail[k]! & 1) !== 0) failed = 4 * k + 1;
    }
    const t = tableStart[k]! + row * width;
    for (let j = 0; j < width; j++) S[dst[d0 + j]!] = table[t + j]!;
  }
  return failed;
}

/**
 * Bins step: S[dst[k]] = the number of input k's edges <= v (np.searchsorted(edges, v, side="right")). Returns -1,
 * or k of the first input whose value is not finite (scikit-learn's input check raises; 0 is written).
 */
export function skBins(S: Float64Array, src: Int32Array, dst: Int32Array, edgeStart: Int32Array, edges: Float64Array): number {
  let failed = -1;
  const n = src.length;
  for (let k = 0; k < n; k++) {
    const v = S[src[k]!]!;
    let lo = edgeStart[k]!;
    const s = lo;
    let hi = edgeStart[k + 1]!;
    if (v - v !== 0) {
      if (failed < 0) failed = k;
      hi = lo;
    }
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (edges[mid]! <= v) lo = mid + 1;
      else hi = mid;
    }
    S[dst[k]!] = lo - s;
  }
  return failed;
}
