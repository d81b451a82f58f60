const meta = { name: "linear", task: "binary", nFeatures: 6, nOutputs: 1, classes: [0, 1], source: { library: "xgboost", version: "3.4.1", objective: "binary:logistic" }, outputs: ["predict", "predictProba", "predictRaw"] };
const NF = 6;
const NO = 1;
const X = new Float32Array(NF);
const R = new Float64Array(NO);
const O = new Float64Array(NO);
const P1 = new Float64Array(2);
const CLASSES = [0, 1];
const FMA_SPLITTER = 134217729;
const EXPF_INVLN2N = 46.16624130844683;
const EXPF_SHIFT = 6755399441055744;
const EXPF_C0 = 16938359250920212e-22;
const EXPF_C1 = 23459809789509004e-20;
const EXPF_C2 = 0.021660849396613134;
const EXPF_OFLOW = 88.72283172607422;
const EXPF_UFLOW = -103.97207641601562;
const EXPF_MAY_UFLOW = -103.27892303466797;
const EXPF_MIN_SUBNORMAL = 1401298464324817e-60;
const EXPF_TAB = Float64Array.of(
  1,
  1.0218971486541166,
  1.0442737824274138,
  1.0671404006768237,
  1.0905077326652577,
  1.1143867425958924,
  1.1387886347566916,
  1.1637248587775775,
  1.189207115002721,
  1.215247359980469,
  1.241857812073484,
  1.2690509571917332,
  1.2968395546510096,
  1.3252366431597413,
  1.3542555469368927,
  1.383909881963832,
  1.4142135623730951,
  1.4451808069770467,
  1.4768261459394993,
  1.5091644275934228,
  1.5422108254079407,
  1.5759808451078865,
  1.6104903319492543,
  1.645755478153965,
  1.681792830507429,
  1.718619298122478,
  1.7562521603732995,
  1.7947090750031072,
  1.8340080864093424,
  1.8741676341103,
  1.9152065613971474,
  1.9571441241754002
);
const EXPF_INVLN2N_HI = FMA_SPLITTER * EXPF_INVLN2N - (FMA_SPLITTER * EXPF_INVLN2N - EXPF_INVLN2N);
const EXPF_INVLN2N_LO = EXPF_INVLN2N - EXPF_INVLN2N_HI;
const EXPF_POW2 = expf_pow2Table();
function expf_pow2Table() {
  const t = new Float64Array(301);
  let v = 1;
  for (let m = 0; m <= 140; m++, v *= 2) t[m + 160] = v;
  v = 1;
  for (let m = 0; m >= -160; m--, v /= 2) t[m + 160] = v;
  return t;
}
function expf(x) {
  if (!(Math.abs(x) < 88)) {
    if (x === -Infinity) return 0;
    if (x !== x || x === Infinity) return x + x;
    if (x > EXPF_OFLOW) return Infinity;
    if (x < EXPF_UFLOW) return 0;
    if (x < EXPF_MAY_UFLOW) return EXPF_MIN_SUBNORMAL;
  }
  const hi = x * EXPF_INVLN2N_HI;
  const lo = x * EXPF_INVLN2N_LO;
  const kd = hi + lo + EXPF_SHIFT - EXPF_SHIFT;
  const r = hi - kd + lo;
  const idx = kd & 31;
  const s = EXPF_TAB[idx] * EXPF_POW2[(kd - idx) / 32 + 160];
  const r2 = r * r;
  return Math.fround(((EXPF_C0 * r + EXPF_C1) * r2 + (EXPF_C2 * r + 1)) * s);
}
const XGB_SIGMOID_EPS = Math.fround(1e-16);
const XGB_SIGMOID_CLAMP = Math.fround(88.7);
function xgbSigmoid(x) {
  const z = Math.min(-x, XGB_SIGMOID_CLAMP);
  const denom = Math.fround(Math.fround(expf(z) + 1) + XGB_SIGMOID_EPS);
  return Math.fround(1 / denom);
}
const LW = /* @__PURE__ */ new Float32Array([0.9902914762496948, 0.011712138541042805, 0.07393670827150345, 0.14738105237483978, 0.09066271781921387, 0.10222762823104858]);
const LB = /* @__PURE__ */ new Float64Array([-0.5254110097885132]);
function raw_(x, R2) {
  for (let g = 0; g < 1; g++) {
    let s = LB[g];
    for (let i = 0; i < 6; i++) {
      const v = x[i];
      if (v === v) s = Math.fround(s + Math.fround(v * LW[i * 1 + g]));
    }
    R2[g] = s;
  }
}
function rawBlock_(x, nb, A) {
  let r = 0;
  for (; r + 4 <= nb; r += 4) {
    const o = r * 6;
    for (let g = 0; g < 1; g++) {
      const b = LB[g];
      let s0 = b;
      let s1 = b;
      let s2 = b;
      let s3 = b;
      for (let i = 0; i < 6; i++) {
        const w = LW[i * 1 + g];
        {
          const v = x[o + i];
          if (v === v) s0 = Math.fround(s0 + Math.fround(v * w));
        }
        {
          const v = x[o + 6 + i];
          if (v === v) s1 = Math.fround(s1 + Math.fround(v * w));
        }
        {
          const v = x[o + 12 + i];
          if (v === v) s2 = Math.fround(s2 + Math.fround(v * w));
        }
        {
          const v = x[o + 18 + i];
          if (v === v) s3 = Math.fround(s3 + Math.fround(v * w));
        }
      }
      A[(r + 0) * 1 + g] = s0;
      A[(r + 1) * 1 + g] = s1;
      A[(r + 2) * 1 + g] = s2;
      A[(r + 3) * 1 + g] = s3;
    }
  }
  for (; r < nb; r++) {
    const o = r * 6;
    for (let g = 0; g < 1; g++) {
      const b = LB[g];
      let s0 = b;
      for (let i = 0; i < 6; i++) {
        const w = LW[i * 1 + g];
        {
          const v = x[o + i];
          if (v === v) s0 = Math.fround(s0 + Math.fround(v * w));
        }
      }
      A[(r + 0) * 1 + g] = s0;
    }
  }
}
function loadRow(x) {
  if (x == null || typeof x.length !== "number") throw new TypeError("modelc model linear: a row must be an array of 6 numbers");
  if (x.length !== NF) throw new RangeError("modelc model linear: expected a row of 6 features, got " + x.length);
  for (let i = 0; i < NF; i++) {
    const v = x[i];
    if (typeof v === "number") X[i] = v;
    else if (v == null) X[i] = NaN;
    else throw new TypeError("modelc model linear: feature " + i + " is not a number");
  }
}
function row_(x) {
  if (x instanceof Float32Array && x.length === NF) return x;
  loadRow(x);
  return X;
}
function loadBatchRow(rows, i) {
  const o = i * NF;
  for (let j = 0; j < NF; j++) X[j] = rows[o + j];
}
function checkBatch(rows, nRows) {
  if (!(rows instanceof Float64Array || rows instanceof Float32Array)) throw new TypeError("modelc model linear: rows must be a Float64Array or Float32Array");
  if (!Number.isInteger(nRows) || nRows < 0 || nRows * NF !== rows.length) throw new RangeError("modelc model linear: expected nRows \xD7 6 values, got nRows = " + nRows + " and " + rows.length + " values");
}
function transform_() {
  O[0] = xgbSigmoid(R[0]);
}
function decide_() {
  transform_();
  return O[0] > 0.5 ? 1 : 0;
}
function predictRaw(x) {
  raw_(row_(x), R);
  return R[0];
}
function predict(x) {
  raw_(row_(x), R);
  return CLASSES[decide_()];
}
function proba_(P, o) {
  transform_();
  P[o] = Math.fround(1 - O[0]);
  P[o + 1] = O[0];
}
function predictProba(x) {
  raw_(row_(x), R);
  proba_(P1, 0);
  return [P1[0], P1[1]];
}
function predictProbaInto(x, out, offset = 0) {
  if (!(out instanceof Float64Array)) throw new TypeError("modelc model linear: out must be a Float64Array");
  if (!Number.isInteger(offset) || offset < 0 || offset + 2 > out.length) throw new RangeError("modelc model linear: out needs 2 values from offset " + offset + ", has " + out.length);
  raw_(row_(x), R);
  proba_(out, offset);
  return out;
}
const BLOCK = 256;
const XB = new Float32Array(BLOCK * 6);
const RB = new Float64Array(BLOCK * NO);
function block_(rows, i0, nb) {
  XB.set(rows.subarray(i0 * NF, (i0 + nb) * NF));
  rawBlock_(XB, nb, RB);
}
function rowOf_(r) {
  R[0] = RB[r];
}
function predictBatch(rows, nRows) {
  checkBatch(rows, nRows);
  const out = new Float64Array(nRows * 1);
  for (let i0 = 0; i0 < nRows; i0 += BLOCK) {
    const nb = Math.min(BLOCK, nRows - i0);
    block_(rows, i0, nb);
    for (let r = 0; r < nb; r++) {
      const i = i0 + r;
      rowOf_(r);
      out[i] = CLASSES[decide_()];
    }
  }
  return out;
}
function predictRawBatch(rows, nRows) {
  checkBatch(rows, nRows);
  const out = new Float64Array(nRows * NO);
  for (let i0 = 0; i0 < nRows; i0 += BLOCK) {
    const nb = Math.min(BLOCK, nRows - i0);
    block_(rows, i0, nb);
    for (let r = 0; r < nb; r++) {
      const i = i0 + r;
      out[i] = RB[r];
    }
  }
  return out;
}
function predictProbaBatch(rows, nRows) {
  checkBatch(rows, nRows);
  const out = new Float64Array(nRows * 2);
  for (let i0 = 0; i0 < nRows; i0 += BLOCK) {
    const nb = Math.min(BLOCK, nRows - i0);
    block_(rows, i0, nb);
    for (let r = 0; r < nb; r++) {
      const i = i0 + r;
      rowOf_(r);
      proba_(out, i * 2);
    }
  }
  return out;
}
export {
  meta,
  predict,
  predictBatch,
  predictProba,
  predictProbaBatch,
  predictProbaInto,
  predictRaw,
  predictRawBatch
};
