// AssemblyScript ports of src/runtime/xgbSigmoid.ts and xgbSoftmax.ts (XGBoost's float32 transforms).
// Float32 steps are written as <f64><f32>(...) on doubles, exactly like Math.fround in the TypeScript source.
// requires: expf.as

const XGB_SIGMOID_EPS: f64 = 1.0000000168623835e-16; // Math.fround(1e-16)
const XGB_SIGMOID_CLAMP: f64 = 88.69999694824219; // Math.fround(88.7)

function xgbSigmoid(x: f64): f64 {
  const z = min<f64>(-x, XGB_SIGMOID_CLAMP);
  const denom = <f64><f32>(<f64><f32>(expf(z) + 1.0) + XGB_SIGMOID_EPS);
  return <f64><f32>(1.0 / denom);
}

function xgbSigmoidLegacy(x: f64): f64 {
  return <f64><f32>(1.0 / <f64><f32>(1.0 + expf(-x)));
}

/** out[i] = f32(expf(f32(raw[i] - max)) / f32(sum in double)) over n f64 values at raw/out. */
function xgbSoftmax(raw: usize, out: usize, n: i32): void {
  let wmax = load<f64>(raw);
  for (let i = 1; i < n; i++) {
    const v = load<f64>(raw + (<usize>i << 3));
    if (v > wmax || wmax != wmax) wmax = v;
  }
  let wsum: f64 = 0.0;
  for (let i = 0; i < n; i++) {
    const e = expf(<f64><f32>(load<f64>(raw + (<usize>i << 3)) - wmax));
    store<f64>(out + (<usize>i << 3), e);
    wsum += e;
  }
  const s = <f64><f32>wsum;
  for (let i = 0; i < n; i++) {
    const p = out + (<usize>i << 3);
    store<f64>(p, <f64><f32>(load<f64>(p) / s));
  }
}
