const meta = { name: "iris", task: "multiclass", nFeatures: 4, nOutputs: 3, featureNames: ["sepal_length", "sepal_width", "petal_length", "petal_width"], classes: [0, 1, 2], source: { library: "xgboost", version: "3.4.1", objective: "multi:softprob" }, outputs: ["predict", "predictProba", "predictRaw"] };
const NF = 4;
const NO = 3;
const X = new Float32Array(NF);
const R = new Float64Array(NO);
const O = new Float64Array(NO);
const P1 = new Float64Array(3);
const CLASSES = [0, 1, 2];
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
function xgbSoftmax(raw, out, n) {
  let wmax = raw[0];
  for (let i = 1; i < n; i++) {
    const v = raw[i];
    if (v > wmax || wmax !== wmax) wmax = v;
  }
  let wsum = 0;
  for (let i = 0; i < n; i++) {
    const e = expf(Math.fround(raw[i] - wmax));
    out[i] = e;
    wsum += e;
  }
  const s = Math.fround(wsum);
  for (let i = 0; i < n; i++) out[i] = Math.fround(out[i] / s);
}
function argmax(v, n) {
  let best = 0;
  let bv = v[0];
  if (bv !== bv) return 0;
  for (let i = 1; i < n; i++) {
    const x = v[i];
    if (x !== x) return i;
    if (x > bv) {
      bv = x;
      best = i;
    }
  }
  return best;
}
const LS = /* @__PURE__ */ new Float64Array([0.43062201142311096, -0.2200489193201065, -0.21531103551387787, 0.4164179265499115, -975348779519436e-23, -7663454759665456e-24, -0.21381217241287231, -0.2198992669582367, 0.21724137663841248, 0.4029850661754608, 0.29508277773857117, -0.19674359261989594, -0.19161221385002136, 0.28568682074546814, 0.004538570996373892, 0.011982666328549385, -0.19113852083683014, -0.19601492583751678, 0.012530701234936714, -0.10782718658447266, 0.11551667749881744, 0.07710640132427216, 0.2975401282310486, 0.23629771173000336, -0.18129581212997437, -0.17550593614578247, 0.2238606959581375, -0.03404964506626129, 0.010063748806715012, -0.174703449010849, -0.18034422397613525, 0.02382553368806839, -0.05948770046234131, 0.11819251626729965, 0.06302151829004288, 0.23720890283584595, 0.203840970993042, -0.17038726806640625, -0.16360792517662048, 0.1939791589975357, -0.0024568019434809685, 0.00903729721903801, -0.16247613728046417, -0.16919425129890442, 0.033797550946474075, 0.09065578877925873, -0.05799520015716553, 0.051909491419792175, 0.203953355550766]);
function g0(xs, nb, A) {
  for (let r = 0; r < nb; r++) {
    const x = xs[r];
    const a = r * 3;
    let a0 = A[a + 0];
    let a1 = A[a + 1];
    let a2 = A[a + 2];
    a0 = Math.fround(a0 + LS[0 + (1 >>> (+(x[2] < 3) << 2) & 15)]);
    a1 = Math.fround(a1 + LS[2 + ((0 << 4 | ((18 >>> (+(x[2] < 5) << 2) & 15) << 4 | 52 >>> (+(x[2] < 4.900000095367432) << 2) & 15) >>> (+(x[3] < 1.7999999523162842) << 2) & 15) >>> (+(x[2] < 3) << 2) & 15)]);
    a2 = Math.fround(a2 + LS[7 + (((1 >>> (+(x[2] < 5) << 2) & 15) << 4 | 2) >>> (+(x[3] < 1.7000000476837158) << 2) & 15)]);
    a0 = Math.fround(a0 + LS[10 + (1 >>> (+(x[2] < 3) << 2) & 15)]);
    a1 = Math.fround(a1 + LS[12 + ((0 << 4 | ((18 >>> (+(x[2] < 5) << 2) & 15) << 4 | 52 >>> (+(x[2] < 4.900000095367432) << 2) & 15) >>> (+(x[3] < 1.7999999523162842) << 2) & 15) >>> (+(x[2] < 3) << 2) & 15)]);
    a2 = Math.fround(a2 + LS[17 + (((1 >>> (+(x[3] < 1.600000023841858) << 2) & 15) << 4 | ((35 >>> (+(x[2] < 5) << 2) & 15) << 4 | 69 >>> (+(x[2] < 4.900000095367432) << 2) & 15) >>> (+(x[3] < 1.7999999523162842) << 2) & 15) >>> (+(x[2] < 4.800000190734863) << 2) & 15)]);
    a0 = Math.fround(a0 + LS[23 + (1 >>> (+(x[2] < 3) << 2) & 15)]);
    a1 = Math.fround(a1 + LS[25 + ((0 << 4 | ((18 >>> (+(x[2] < 5.099999904632568) << 2) & 15) << 4 | 52 >>> (+(x[2] < 4.900000095367432) << 2) & 15) >>> (+(x[3] < 1.7999999523162842) << 2) & 15) >>> (+(x[2] < 3) << 2) & 15)]);
    a2 = Math.fround(a2 + LS[30 + (((1 >>> (+(x[3] < 1.600000023841858) << 2) & 15) << 4 | ((35 >>> (+(x[2] < 5.099999904632568) << 2) & 15) << 4 | 69 >>> (+(x[2] < 4.900000095367432) << 2) & 15) >>> (+(x[3] < 1.7999999523162842) << 2) & 15) >>> (+(x[2] < 4.800000190734863) << 2) & 15)]);
    a0 = Math.fround(a0 + LS[36 + (1 >>> (+(x[2] < 3) << 2) & 15)]);
    a1 = Math.fround(a1 + LS[38 + ((0 << 4 | ((18 >>> (+(x[2] < 5) << 2) & 15) << 4 | 52 >>> (+(x[2] < 4.900000095367432) << 2) & 15) >>> (+(x[3] < 1.7999999523162842) << 2) & 15) >>> (+(x[2] < 3) << 2) & 15)]);
    a2 = Math.fround(a2 + LS[43 + (((1 >>> (+(x[3] < 1.600000023841858) << 2) & 15) << 4 | ((35 >>> (+(x[3] < 1.600000023841858) << 2) & 15) << 4 | 69 >>> (+(x[2] < 4.900000095367432) << 2) & 15) >>> (+(x[3] < 1.7999999523162842) << 2) & 15) >>> (+(x[2] < 4.800000190734863) << 2) & 15)]);
    A[a + 0] = a0;
    A[a + 1] = a1;
    A[a + 2] = a2;
  }
}
const X1 = [new Float32Array(0)];
function raw_(x, R2) {
  R2[0] = 0;
  R2[1] = 0;
  R2[2] = 0;
  X1[0] = x;
  g0(X1, 1, R2);
}
const XV = [];
let XVof;
function views_(x, nb) {
  if (XVof !== x) {
    XVof = x;
    XV.length = 0;
  }
  for (let r = XV.length; r < nb; r++) XV.push(x.subarray(r * 4, r * 4 + 4));
  return XV;
}
function rawBlock_(x, nb, A) {
  for (let r = 0; r < nb; r++) {
    const a = r * 3;
    A[a + 0] = 0;
    A[a + 1] = 0;
    A[a + 2] = 0;
  }
  const xs = views_(x, nb);
  g0(xs, nb, A);
}
function loadRow(x) {
  if (x == null || typeof x.length !== "number") throw new TypeError("modelc model iris: a row must be an array of 4 numbers");
  if (x.length !== NF) throw new RangeError("modelc model iris: expected a row of 4 features, got " + x.length);
  for (let i = 0; i < NF; i++) {
    const v = x[i];
    if (typeof v === "number") X[i] = v;
    else if (v == null) X[i] = NaN;
    else throw new TypeError("modelc model iris: feature " + i + " is not a number");
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
  if (!(rows instanceof Float64Array || rows instanceof Float32Array)) throw new TypeError("modelc model iris: rows must be a Float64Array or Float32Array");
  if (!Number.isInteger(nRows) || nRows < 0 || nRows * NF !== rows.length) throw new RangeError("modelc model iris: expected nRows \xD7 4 values, got nRows = " + nRows + " and " + rows.length + " values");
}
function transform_() {
  xgbSoftmax(R, O, 3);
}
function decide_() {
  transform_();
  return argmax(O, NO);
}
function predictRaw(x) {
  raw_(row_(x), R);
  return [R[0], R[1], R[2]];
}
function predict(x) {
  raw_(row_(x), R);
  return CLASSES[decide_()];
}
function proba_(P, o) {
  transform_();
  for (let k = 0; k < 3; k++) P[o + k] = O[k];
}
function predictProba(x) {
  raw_(row_(x), R);
  proba_(P1, 0);
  return [P1[0], P1[1], P1[2]];
}
function predictProbaInto(x, out, offset = 0) {
  if (!(out instanceof Float64Array)) throw new TypeError("modelc model iris: out must be a Float64Array");
  if (!Number.isInteger(offset) || offset < 0 || offset + 3 > out.length) throw new RangeError("modelc model iris: out needs 3 values from offset " + offset + ", has " + out.length);
  raw_(row_(x), R);
  proba_(out, offset);
  return out;
}
const BLOCK = 256;
const XB = new Float32Array(BLOCK * 4);
const RB = new Float64Array(BLOCK * NO);
function block_(rows, i0, nb) {
  XB.set(rows.subarray(i0 * NF, (i0 + nb) * NF));
  rawBlock_(XB, nb, RB);
}
function rowOf_(r) {
  for (let k = 0; k < NO; k++) R[k] = RB[r * NO + k];
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
      for (let k = 0; k < NO; k++) out[i * NO + k] = RB[r * NO + k];
    }
  }
  return out;
}
function predictProbaBatch(rows, nRows) {
  checkBatch(rows, nRows);
  const out = new Float64Array(nRows * 3);
  for (let i0 = 0; i0 < nRows; i0 += BLOCK) {
    const nb = Math.min(BLOCK, nRows - i0);
    block_(rows, i0, nb);
    for (let r = 0; r < nb; r++) {
      const i = i0 + r;
      rowOf_(r);
      proba_(out, i * 3);
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
