// AssemblyScript ports of src/runtime/lgbSigmoid.ts, lgbSoftmax.ts and lgbLog1pExp.ts (LightGBM's double transforms, glibc exp and log1p).
// requires: exp.as, log1p.as

/** 1 / (1 + exp(-s·x)) */
function lgbSigmoid(x: f64, s: f64): f64 {
  return 1.0 / (1.0 + exp(-s * x));
}

/** max by std::max, exp(x - max), sequential sum, division; n f64 values at raw/out. */
function lgbSoftmax(raw: usize, out: usize, n: i32): void {
  let wmax = load<f64>(raw);
  for (let i = 1; i < n; i++) {
    const v = load<f64>(raw + (<usize>i << 3));
    wmax = v < wmax ? wmax : v;
  }
  let wsum: f64 = 0.0;
  for (let i = 0; i < n; i++) {
    const e = exp(load<f64>(raw + (<usize>i << 3)) - wmax);
    store<f64>(out + (<usize>i << 3), e);
    wsum += e;
  }
  for (let i = 0; i < n; i++) {
    const p = out + (<usize>i << 3);
    store<f64>(p, load<f64>(p) / wsum);
  }
}

/** log1p(exp(x)) (cross_entropy_lambda). */
function lgbLog1pExp(x: f64): f64 {
  return log1p(exp(x));
}
