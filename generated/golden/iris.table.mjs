const meta = { name: "iris", task: "multiclass", nFeatures: 4, nOutputs: 3, featureNames: ["sepal_length", "sepal_width", "petal_length", "petal_width"], classes: [0, 1, 2], source: { library: "xgboost", version: "3.4.1", objective: "multi:softprob" }, outputs: ["predict", "predictProba", "predictRaw"] };
const NF = 4;
const NO = 3;
const X = new Float32Array(NF);
const R = new Float64Array(NO);
const O = new Float64Array(NO);
const CLASSES = [0, 1, 2];
const DECODE_TABLE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DECODE_TABLE_LOOKUP = /* @__PURE__ */ (() => {
  const t = new Uint8Array(128);
  for (let i = 0; i < 64; i++) t[DECODE_TABLE_ALPHABET.charCodeAt(i)] = i;
  return t;
})();
const DECODE_TABLE_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
function decodeBytes(s) {
  let pad = 0;
  if (s.endsWith("==")) pad = 2;
  else if (s.endsWith("=")) pad = 1;
  const n = s.length / 4 * 3 - pad;
  const out = new Uint8Array(n);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    const v = DECODE_TABLE_LOOKUP[s.charCodeAt(i)] << 18 | DECODE_TABLE_LOOKUP[s.charCodeAt(i + 1)] << 12 | DECODE_TABLE_LOOKUP[s.charCodeAt(i + 2)] << 6 | DECODE_TABLE_LOOKUP[s.charCodeAt(i + 3)];
    if (o < n) out[o++] = v >>> 16 & 255;
    if (o < n) out[o++] = v >>> 8 & 255;
    if (o < n) out[o++] = v & 255;
  }
  return out;
}
function decodeTableSwap(b, width) {
  if (DECODE_TABLE_LE || width === 1) return b;
  for (let i = 0; i < b.length; i += width) b.subarray(i, i + width).reverse();
  return b;
}
function decodeF64(s) {
  return new Float64Array(decodeTableSwap(decodeBytes(s), 8).buffer);
}
function decodeF32(s) {
  return new Float32Array(decodeTableSwap(decodeBytes(s), 4).buffer);
}
function decodeI32(s) {
  return new Int32Array(decodeTableSwap(decodeBytes(s), 4).buffer);
}
function decodeU32(s) {
  return new Uint32Array(decodeTableSwap(decodeBytes(s), 4).buffer);
}
const FMA_SPLITTER = 134217729;
const FMA_P_MIN = 4008336720017946e-307;
const FMA_P_MAX = 11235582092889474e291;
const FMA_AB_MAX = 33484643974570854e283;
const FMA_AB_MIN = 9332636185032189e-317;
const FMA_2P1000 = 10715086071862673e285;
const FMA_2M1000 = 9332636185032189e-317;
function fmaAddExact(p, pe, c) {
  const s = p + c;
  const sb = s - p;
  const se = p - (s - sb) + (c - sb);
  const t = se + pe;
  const r = s + t;
  const tt = t - (r - s);
  if (tt !== 0 && r + 2 * tt - r === 2 * tt) return fmaTie(r, tt, se, pe);
  return r;
}
function fmaTie(r, tt, se, pe) {
  const t = se + pe;
  const tb = t - se;
  const te = se - (t - tb) + (pe - tb);
  return te !== 0 && te > 0 === tt > 0 ? r + 2 * tt : r;
}
function fmaSplit(a, ah, al, b, bh, bl, c) {
  const p = a * b;
  return fmaAddExact(p, ah * bh - p + ah * bl + al * bh + al * bl, c);
}
function fmaFast(a, b, c) {
  const p = a * b;
  let t = FMA_SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = FMA_SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return fmaAddExact(p, ah * bh - p + ah * bl + al * bh + al * bl, c);
}
function fma(a, b, c) {
  const p = a * b;
  const ap = Math.abs(p);
  const aa = Math.abs(a);
  const ab = Math.abs(b);
  if (ap > FMA_P_MIN && ap < FMA_P_MAX && aa < FMA_AB_MAX && ab < FMA_AB_MAX && aa > FMA_AB_MIN && ab > FMA_AB_MIN && Math.abs(c) < FMA_P_MAX) {
    return fmaFast(a, b, c);
  }
  if (a !== a || b !== b || c !== c) return a + b + c;
  if (aa === Infinity || ab === Infinity || a === 0 || b === 0) return p + c;
  if (c === Infinity || c === -Infinity) return c;
  return fma_exact(a, b, c);
}
const FMA_DV = new DataView(new ArrayBuffer(8));
function fma_mant(x) {
  FMA_DV.setFloat64(0, x);
  const hi = FMA_DV.getUint32(0);
  const lo = FMA_DV.getUint32(4);
  const bexp = hi >>> 20 & 2047;
  let m = BigInt((hi & 1048575) * 4294967296 + lo);
  if (bexp !== 0) m += BigInt(4503599627370496);
  return hi >>> 31 ? -m : m;
}
function fma_expo(x) {
  FMA_DV.setFloat64(0, x);
  const bexp = FMA_DV.getUint32(0) >>> 20 & 2047;
  return (bexp === 0 ? 1 : bexp) - 1075;
}
function fma_ldexp(y, k) {
  while (k > 1e3) {
    y *= FMA_2P1000;
    k -= 1e3;
  }
  while (k < -1e3) {
    y *= FMA_2M1000;
    k += 1e3;
  }
  const h = k >> 1;
  return y * fma_pow2(h) * fma_pow2(k - h);
}
function fma_pow2(k) {
  FMA_DV.setUint32(0, k + 1023 << 20);
  FMA_DV.setUint32(4, 0);
  return FMA_DV.getFloat64(0);
}
function fma_exact(a, b, c) {
  let m = fma_mant(a) * fma_mant(b);
  let e = fma_expo(a) + fma_expo(b);
  if (c !== 0) {
    let mc = fma_mant(c);
    const ec = fma_expo(c);
    if (ec < e) {
      m <<= BigInt(e - ec);
      e = ec;
    } else {
      mc <<= BigInt(ec - e);
    }
    m += mc;
  }
  const zero = BigInt(0);
  if (m === zero) return 0;
  const neg = m < zero;
  if (neg) m = -m;
  const n = m.toString(2).length;
  const top = n - 1 + e;
  const shift = top >= -1022 ? n - 53 : -1074 - e;
  if (shift > 0) {
    const bs = BigInt(shift);
    const one = BigInt(1);
    let q = m >> bs;
    const rem = m - (q << bs);
    const half = one << BigInt(shift - 1);
    if (rem > half || rem === half && (q & one) === one) q += one;
    m = q;
    e += shift;
  }
  const y = fma_ldexp(Number(m), e);
  return neg ? -y : y;
}
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
function expfNoFma(x) {
  if (!(Math.abs(x) < 88)) {
    if (x === -Infinity) return 0;
    if (x !== x || x === Infinity) return x + x;
    if (x > EXPF_OFLOW) return Infinity;
    if (x < EXPF_UFLOW) return 0;
    if (x < EXPF_MAY_UFLOW) return EXPF_MIN_SUBNORMAL;
  }
  const z = EXPF_INVLN2N * x;
  const kd = z + EXPF_SHIFT - EXPF_SHIFT;
  const r = z - kd;
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
const FK = /* @__PURE__ */ decodeI32("AgAAAP//////////AgAAAP////8DAAAAAgAAAP//////////AgAAAP//////////AwAAAAIAAAD///////////////8CAAAA//////////8CAAAA/////wMAAAACAAAA//////////8CAAAA//////////8CAAAAAwAAAP//////////AwAAAAIAAAD//////////wIAAAD//////////wIAAAD//////////wIAAAD/////AwAAAAIAAAD//////////wIAAAD//////////wIAAAADAAAA//////////8DAAAAAgAAAP//////////AgAAAP//////////AgAAAP//////////AgAAAP////8DAAAAAgAAAP//////////AgAAAP//////////AgAAAAMAAAD//////////wMAAAADAAAA//////////8CAAAA//////////8=");
const TV = /* @__PURE__ */ decodeF32("AABAQH163D6BVGG+AABAQH96XL5mZuY/AACgQLs01T5LkCeyzcycQDuoA7KU8Vq+mpnZPwAAoEBGLWG+hnRePg9Uzj4AAEBAFxWXPid3Sb4AAEBA/jVEvmZm5j8AAKBAi0WSPku4lDvNzJxA8lJEPNG5Q76amZlAzczMPyO4SL6STU08ZmbmPwAAoECA1Ny9ApTsPc3MnED26Z09LleYPgAAQEAH+HE+nKU5vgAAQEDUtzO+ZmbmPzMzo0C9O2U+pHcLvc3MnEBs4iQ8duUyvpqZmUDNzMw/KKw4vsQtwzxmZuY/MzOjQGCpc73rDvI9zcycQG0RgT3k5nI+AABAQLC7UD4Aei6+AABAQNaIJ75mZuY/AACgQHmiRj5MAiG7zcycQCwRFDwlYCa+mpmZQM3MzD9CQS2+TW8KPWZm5j/NzMw/vqm5PWCMbb3NzJxADJ9UPSbZUD4=");
const RC = /* @__PURE__ */ decodeI32("AgAAAAAAAAAAAAAABQAAAAAAAAAJAAAACAAAAAAAAAAAAAAACwAAAAAAAAAAAAAAEAAAAA8AAAAAAAAAAAAAAAAAAAATAAAAAAAAAAAAAAAWAAAAAAAAABoAAAAZAAAAAAAAAAAAAAAcAAAAAAAAAAAAAAAhAAAAIAAAAAAAAAAAAAAAJQAAACQAAAAAAAAAAAAAACcAAAAAAAAAAAAAACoAAAAAAAAAAAAAAC0AAAAAAAAAMQAAADAAAAAAAAAAAAAAADMAAAAAAAAAAAAAADgAAAA3AAAAAAAAAAAAAAA8AAAAOwAAAAAAAAAAAAAAPgAAAAAAAAAAAAAAQQAAAAAAAAAAAAAARAAAAAAAAABIAAAARwAAAAAAAAAAAAAASgAAAAAAAAAAAAAATwAAAE4AAAAAAAAAAAAAAFMAAABSAAAAAAAAAAAAAABVAAAAAAAAAAAAAAA=");
const TS = /* @__PURE__ */ new Int32Array([0, 3, 12, 17, 20, 29, 40, 43, 52, 63, 66, 75]);
const TO = /* @__PURE__ */ new Int32Array([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]);
function walk(x, n) {
  for (; ; ) {
    const fk = FK[n];
    if (fk < 0) return n;
    const v = x[fk & 16777215];
    const t = TV[n];
    n = v < t || v !== v && (fk & 16777216) !== 0 ? n + 1 : RC[n];
  }
}
function raw_(x, R2) {
  R2[0] = 0;
  R2[1] = 0;
  R2[2] = 0;
  for (let t = 0; t < 12; t++) {
    const n = walk(x, TS[t]);
    const o = TO[t];
    R2[o] = Math.fround(R2[o] + TV[n]);
  }
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
  loadRow(x);
  raw_(X, R);
  return R.slice();
}
function predict(x) {
  loadRow(x);
  raw_(X, R);
  return CLASSES[decide_()];
}
function proba_(P, o) {
  transform_();
  for (let k = 0; k < 3; k++) P[o + k] = O[k];
}
function predictProba(x) {
  loadRow(x);
  raw_(X, R);
  const P = new Float64Array(3);
  proba_(P, 0);
  return P;
}
function predictBatch(rows, nRows) {
  checkBatch(rows, nRows);
  const out = new Float64Array(nRows * 1);
  for (let i = 0; i < nRows; i++) {
    loadBatchRow(rows, i);
    raw_(X, R);
    out[i] = CLASSES[decide_()];
  }
  return out;
}
function predictRawBatch(rows, nRows) {
  checkBatch(rows, nRows);
  const out = new Float64Array(nRows * NO);
  for (let i = 0; i < nRows; i++) {
    loadBatchRow(rows, i);
    raw_(X, R);
    out.set(R, i * NO);
  }
  return out;
}
function predictProbaBatch(rows, nRows) {
  checkBatch(rows, nRows);
  const out = new Float64Array(nRows * 3);
  for (let i = 0; i < nRows; i++) {
    loadBatchRow(rows, i);
    raw_(X, R);
    proba_(out, i * 3);
  }
  return out;
}
export {
  meta,
  predict,
  predictBatch,
  predictProba,
  predictProbaBatch,
  predictRaw,
  predictRawBatch
};
