// AssemblyScript ports of src/runtime/skSoftmax.ts (numpy softmax, one-vs-rest and modified-Huber normalization, numpy's pairwise sum)
// and src/runtime/skIforest.ts. Arrays are f64 values in linear memory.
// requires: exp.as, log.as

/** numpy's pairwise_sum of n f64 values at a (unrolled by 8 up to 128 terms, halves above), added to 0. */
function skPairwiseSum(a: usize, n: i32): f64 {
  if (n < 8) {
    let res: f64 = 0.0;
    for (let i = 0; i < n; i++) res += load<f64>(a + (<usize>i << 3));
    return res;
  }
  if (n <= 128) {
    let r0 = load<f64>(a), r1 = load<f64>(a, 8), r2 = load<f64>(a, 16), r3 = load<f64>(a, 24);
    let r4 = load<f64>(a, 32), r5 = load<f64>(a, 40), r6 = load<f64>(a, 48), r7 = load<f64>(a, 56);
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      const p = a + (<usize>i << 3);
      r0 += load<f64>(p); r1 += load<f64>(p, 8); r2 += load<f64>(p, 16); r3 += load<f64>(p, 24);
      r4 += load<f64>(p, 32); r5 += load<f64>(p, 40); r6 += load<f64>(p, 48); r7 += load<f64>(p, 56);
    }
    let res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; i < n; i++) res += load<f64>(a + (<usize>i << 3));
    return res;
  }
  let n2 = n / 2;
  n2 -= n2 % 8;
  return skPairwiseSum(a, n2) + skPairwiseSum(a + (<usize>n2 << 3), n - n2);
}

/** extmath.softmax (form 1) or exp(x - logsumexp(x)) (form 2, scikit-learn < 1.4 gradient boosting). */
function skSoftmax(raw: usize, out: usize, n: i32, form: f64): void {
  let m = load<f64>(raw);
  for (let i = 1; i < n; i++) {
    const v = load<f64>(raw + (<usize>i << 3));
    if (v != v || v > m) m = v;
    if (m != m) break;
  }
  for (let i = 0; i < n; i++) store<f64>(out + (<usize>i << 3), exp(load<f64>(raw + (<usize>i << 3)) - m));
  const s = 0.0 + skPairwiseSum(out, n);
  if (form == 2.0) {
    const lse = log(s) + m;
    for (let i = 0; i < n; i++) store<f64>(out + (<usize>i << 3), exp(load<f64>(raw + (<usize>i << 3)) - lse));
    return;
  }
  for (let i = 0; i < n; i++) {
    const p = out + (<usize>i << 3);
    store<f64>(p, load<f64>(p) / s);
  }
}

/** Binary AdaBoostClassifier.predict_proba: softmax of [-d / 2, d / 2] to out, out + 8. */
function skSoftmaxHalves(d: f64, out: usize): void {
  const a = -d / 2.0;
  const b = d / 2.0;
  let m = a;
  if (b != b || b > m) m = b;
  const e0 = exp(a - m);
  const e1 = exp(b - m);
  const s = 0.0 + (0.0 + e0 + e1);
  store<f64>(out, e0 / s);
  store<f64>(out, e1 / s, 8);
}

/** _predict_proba_lr: expit per class divided by the row sum; uniformIfZero: a zero row becomes uniform. */
function skOvr(raw: usize, out: usize, n: i32, uniformIfZero: f64): void {
  for (let i = 0; i < n; i++) store<f64>(out + (<usize>i << 3), 1.0 / (1.0 + exp(-load<f64>(raw + (<usize>i << 3)))));
  let s = 0.0 + skPairwiseSum(out, n);
  if (s == 0.0 && uniformIfZero != 0.0) {
    for (let i = 0; i < n; i++) store<f64>(out + (<usize>i << 3), 1.0);
    s = <f64>n;
  }
  for (let i = 0; i < n; i++) {
    const p = out + (<usize>i << 3);
    store<f64>(p, load<f64>(p) / s);
  }
}

/** IsolationForest decision_function: -2^(-r) - offset, 2^y as exp(y·ln 2). */
function skIforest(r: f64, offset: f64): f64 {
  return -exp(-r * 0.6931471805599453) - offset;
}

/** SGDClassifier(loss="modified_huber").predict_proba: (clip(d, -1, 1) + 1) / 2, several outputs normalized. */
function skModifiedHuber(raw: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const d = load<f64>(raw + (<usize>i << 3));
    store<f64>(out + (<usize>i << 3), ((d != d ? d : d < -1.0 ? -1.0 : d > 1.0 ? 1.0 : d) + 1.0) / 2.0);
  }
  if (n == 1) return;
  let s = 0.0 + skPairwiseSum(out, n);
  if (s == 0.0) {
    for (let i = 0; i < n; i++) store<f64>(out + (<usize>i << 3), 1.0);
    s = <f64>n;
  }
  for (let i = 0; i < n; i++) {
    const p = out + (<usize>i << 3);
    store<f64>(p, load<f64>(p) / s);
  }
}
