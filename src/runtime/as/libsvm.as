// AssemblyScript port of src/runtime/libsvmProba.ts (libsvm's predict_probability: Platt's sigmoid per pair, then
// Wu-Lin-Weng pairwise coupling), every operation in libsvm's order. Arrays are f64 values in linear memory;
// r and Q are K·K scratch, Qp and p K scratch.
// requires: exp.as

// @ts-ignore: decorator
@inline function lsAt(a: usize, i: i32): usize {
  return a + (<usize>i << 3);
}

function libsvmProba(d: usize, A: usize, B: usize, K: i32, out: usize, r: usize, Q: usize, Qp: usize, p: usize): void {
  let k = 0;
  for (let i = 0; i < K; i++) {
    for (let j = i + 1; j < K; j++) {
      const f = load<f64>(lsAt(d, k)) * load<f64>(lsAt(A, k)) + load<f64>(lsAt(B, k));
      const s = f >= 0.0 ? exp(-f) / (1.0 + exp(-f)) : 1.0 / (1.0 + exp(f));
      const lo = s > 1e-7 ? s : 1e-7;
      const v = lo < 1.0 - 1e-7 ? lo : 1.0 - 1e-7;
      store<f64>(lsAt(r, i * K + j), v);
      store<f64>(lsAt(r, j * K + i), 1.0 - v);
      k++;
    }
  }
  for (let t = 0; t < K; t++) {
    store<f64>(lsAt(p, t), 1.0 / <f64>K);
    store<f64>(lsAt(Q, t * K + t), 0.0);
    for (let j = 0; j < t; j++) {
      const rjt = load<f64>(lsAt(r, j * K + t));
      store<f64>(lsAt(Q, t * K + t), load<f64>(lsAt(Q, t * K + t)) + rjt * rjt);
      store<f64>(lsAt(Q, t * K + j), load<f64>(lsAt(Q, j * K + t)));
    }
    for (let j = t + 1; j < K; j++) {
      const rjt = load<f64>(lsAt(r, j * K + t));
      store<f64>(lsAt(Q, t * K + t), load<f64>(lsAt(Q, t * K + t)) + rjt * rjt);
      store<f64>(lsAt(Q, t * K + j), -rjt * load<f64>(lsAt(r, t * K + j)));
    }
  }
  const maxIter = K > 100 ? K : 100;
  const eps = 0.005 / <f64>K;
  for (let iter = 0; iter < maxIter; iter++) {
    let pQp: f64 = 0.0;
    for (let t = 0; t < K; t++) {
      let q: f64 = 0.0;
      for (let j = 0; j < K; j++) q += load<f64>(lsAt(Q, t * K + j)) * load<f64>(lsAt(p, j));
      store<f64>(lsAt(Qp, t), q);
      pQp += load<f64>(lsAt(p, t)) * q;
    }
    let maxError: f64 = 0.0;
    for (let t = 0; t < K; t++) {
      const e = abs<f64>(load<f64>(lsAt(Qp, t)) - pQp);
      if (e > maxError) maxError = e;
    }
    if (maxError < eps) break;
    for (let t = 0; t < K; t++) {
      const qtt = load<f64>(lsAt(Q, t * K + t));
      const qpt = load<f64>(lsAt(Qp, t));
      const diff = (-qpt + pQp) / qtt;
      store<f64>(lsAt(p, t), load<f64>(lsAt(p, t)) + diff);
      pQp = (pQp + diff * (diff * qtt + 2.0 * qpt)) / (1.0 + diff) / (1.0 + diff);
      for (let j = 0; j < K; j++) {
        store<f64>(lsAt(Qp, j), (load<f64>(lsAt(Qp, j)) + diff * load<f64>(lsAt(Q, t * K + j))) / (1.0 + diff));
        store<f64>(lsAt(p, j), load<f64>(lsAt(p, j)) / (1.0 + diff));
      }
    }
  }
  for (let t = 0; t < K; t++) store<f64>(lsAt(out, t), load<f64>(lsAt(p, t)));
}
