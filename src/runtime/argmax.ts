// Index of the first maximum (numpy.argmax / XGBoost softmax predict): NaN counts as the maximum, as numpy does.

export function argmax(v: ArrayLike<number>, n: number): number {
  let best = 0;
  let bv = v[0]!;
  if (bv !== bv) return 0;
  for (let i = 1; i < n; i++) {
    const x = v[i]!;
    if (x !== x) return i;
    if (x > bv) {
      bv = x;
      best = i;
    }
  }
  return best;
}
