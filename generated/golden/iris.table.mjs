const meta = { name: "iris", task: "multiclass", nFeatures: 4, nOutputs: 3, featureNames: ["sepal_length", "sepal_width", "petal_length", "petal_width"], classes: [0, 1, 2], source: { library: "xgboost", version: "3.4.1", objective: "multi:softprob" }, outputs: ["predict", "predictProba", "predictRaw"] };
const NF = 4;
const NO = 3;
const X = new Float32Array(NF);
const R = new Float64Array(NO);
const O = new Float64Array(NO);
const P1 = new Float64Array(3);
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
function decodeF32(s) {
  return new Float32Array(decodeTableSwap(decodeBytes(s), 4).buffer);
}
function decodeI32(s) {
  return new Int32Array(decodeTableSwap(decodeBytes(s), 4).buffer);
}
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
const FK = /* @__PURE__ */ decodeI32("AgAAAAAAAIAAAACAAgAAAAAAAIADAAAAAgAAAAAAAIAAAACAAgAAAAAAAIAAAACAAwAAAAIAAAAAAACAAAAAgAAAAIACAAAAAAAAgAAAAIACAAAAAAAAgAMAAAACAAAAAAAAgAAAAIACAAAAAAAAgAAAAIACAAAAAwAAAAAAAIAAAACAAwAAAAIAAAAAAACAAAAAgAIAAAAAAACAAAAAgAIAAAAAAACAAAAAgAIAAAAAAACAAwAAAAIAAAAAAACAAAAAgAIAAAAAAACAAAAAgAIAAAADAAAAAAAAgAAAAIADAAAAAgAAAAAAAIAAAACAAgAAAAAAAIAAAACAAgAAAAAAAIAAAACAAgAAAAAAAIADAAAAAgAAAAAAAIAAAACAAgAAAAAAAIAAAACAAgAAAAMAAAAAAACAAAAAgAMAAAADAAAAAAAAgAAAAIACAAAAAAAAgAAAAIA=");
const TV = /* @__PURE__ */ decodeF32("AABAQH163D6BVGG+AABAQH96XL5mZuY/AACgQLs01T5LkCeyzcycQDuoA7KU8Vq+mpnZPwAAoEBGLWG+hnRePg9Uzj4AAEBAFxWXPid3Sb4AAEBA/jVEvmZm5j8AAKBAi0WSPku4lDvNzJxA8lJEPNG5Q76amZlAzczMPyO4SL6STU08ZmbmPwAAoECA1Ny9ApTsPc3MnED26Z09LleYPgAAQEAH+HE+nKU5vgAAQEDUtzO+ZmbmPzMzo0C9O2U+pHcLvc3MnEBs4iQ8duUyvpqZmUDNzMw/KKw4vsQtwzxmZuY/MzOjQGCpc73rDvI9zcycQG0RgT3k5nI+AABAQLC7UD4Aei6+AABAQNaIJ75mZuY/AACgQHmiRj5MAiG7zcycQCwRFDwlYCa+mpmZQM3MzD9CQS2+TW8KPWZm5j/NzMw/vqm5PWCMbb3NzJxADJ9UPSbZUD4=");
const RC = /* @__PURE__ */ decodeI32("AgAAAAEAAAACAAAABQAAAAQAAAAJAAAACAAAAAcAAAAIAAAACwAAAAoAAAALAAAAEAAAAA8AAAAOAAAADwAAABAAAAATAAAAEgAAABMAAAAWAAAAFQAAABoAAAAZAAAAGAAAABkAAAAcAAAAGwAAABwAAAAhAAAAIAAAAB8AAAAgAAAAJQAAACQAAAAjAAAAJAAAACcAAAAmAAAAJwAAACoAAAApAAAAKgAAAC0AAAAsAAAAMQAAADAAAAAvAAAAMAAAADMAAAAyAAAAMwAAADgAAAA3AAAANgAAADcAAAA8AAAAOwAAADoAAAA7AAAAPgAAAD0AAAA+AAAAQQAAAEAAAABBAAAARAAAAEMAAABIAAAARwAAAEYAAABHAAAASgAAAEkAAABKAAAATwAAAE4AAABNAAAATgAAAFMAAABSAAAAUQAAAFIAAABVAAAAVAAAAFUAAAA=");
const TS = /* @__PURE__ */ new Int32Array([0, 3, 12, 17, 20, 29, 40, 43, 52, 63, 66, 75]);
const TD = /* @__PURE__ */ new Int32Array([1, 3, 2, 1, 3, 3, 1, 3, 3, 1, 3, 3]);
const LT = /* @__PURE__ */ (() => {
  const t = TV.slice();
  for (let n = 0; n < t.length; n++) if (FK[n] < 0) t[n] = NaN;
  return t;
})();
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
function walkB(x, b, n) {
  for (; ; ) {
    const fk = FK[n];
    if (fk < 0) return n;
    const v = x[b + (fk & 16777215)];
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
function rawBlock_(x, nb, A) {
  for (let r = 0; r < nb; r++) {
    const a = r * 3;
    A[a + 0] = 0;
    A[a + 1] = 0;
    A[a + 2] = 0;
  }
  for (let t = 0; t < 12; t++) {
    const s = TS[t];
    const o = TO[t];
    const d = TD[t];
    let r = 0;
    for (; r + 8 <= nb; r += 8) {
      const b0 = (r + 0) * 4;
      const b1 = (r + 1) * 4;
      const b2 = (r + 2) * 4;
      const b3 = (r + 3) * 4;
      const b4 = (r + 4) * 4;
      const b5 = (r + 5) * 4;
      const b6 = (r + 6) * 4;
      const b7 = (r + 7) * 4;
      let n0 = s;
      let n1 = s;
      let n2 = s;
      let n3 = s;
      let n4 = s;
      let n5 = s;
      let n6 = s;
      let n7 = s;
      for (let i = 0; i < d; i++) {
        const f0 = FK[n0];
        const v0 = x[b0 + (f0 & 16777215)];
        const r0 = RC[n0];
        n0 = r0 + (n0 + 1 - r0 & -(+(v0 < LT[n0]) | +(v0 !== v0) & f0 >>> 24));
        const f1 = FK[n1];
        const v1 = x[b1 + (f1 & 16777215)];
        const r1 = RC[n1];
        n1 = r1 + (n1 + 1 - r1 & -(+(v1 < LT[n1]) | +(v1 !== v1) & f1 >>> 24));
        const f2 = FK[n2];
        const v2 = x[b2 + (f2 & 16777215)];
        const r2 = RC[n2];
        n2 = r2 + (n2 + 1 - r2 & -(+(v2 < LT[n2]) | +(v2 !== v2) & f2 >>> 24));
        const f3 = FK[n3];
        const v3 = x[b3 + (f3 & 16777215)];
        const r3 = RC[n3];
        n3 = r3 + (n3 + 1 - r3 & -(+(v3 < LT[n3]) | +(v3 !== v3) & f3 >>> 24));
        const f4 = FK[n4];
        const v4 = x[b4 + (f4 & 16777215)];
        const r4 = RC[n4];
        n4 = r4 + (n4 + 1 - r4 & -(+(v4 < LT[n4]) | +(v4 !== v4) & f4 >>> 24));
        const f5 = FK[n5];
        const v5 = x[b5 + (f5 & 16777215)];
        const r5 = RC[n5];
        n5 = r5 + (n5 + 1 - r5 & -(+(v5 < LT[n5]) | +(v5 !== v5) & f5 >>> 24));
        const f6 = FK[n6];
        const v6 = x[b6 + (f6 & 16777215)];
        const r6 = RC[n6];
        n6 = r6 + (n6 + 1 - r6 & -(+(v6 < LT[n6]) | +(v6 !== v6) & f6 >>> 24));
        const f7 = FK[n7];
        const v7 = x[b7 + (f7 & 16777215)];
        const r7 = RC[n7];
        n7 = r7 + (n7 + 1 - r7 & -(+(v7 < LT[n7]) | +(v7 !== v7) & f7 >>> 24));
        if (i >= 7 && (FK[n0] & FK[n1] & FK[n2] & FK[n3] & FK[n4] & FK[n5] & FK[n6] & FK[n7]) < 0) break;
      }
      A[(r + 0) * 3 + o] = Math.fround(A[(r + 0) * 3 + o] + TV[n0]);
      A[(r + 1) * 3 + o] = Math.fround(A[(r + 1) * 3 + o] + TV[n1]);
      A[(r + 2) * 3 + o] = Math.fround(A[(r + 2) * 3 + o] + TV[n2]);
      A[(r + 3) * 3 + o] = Math.fround(A[(r + 3) * 3 + o] + TV[n3]);
      A[(r + 4) * 3 + o] = Math.fround(A[(r + 4) * 3 + o] + TV[n4]);
      A[(r + 5) * 3 + o] = Math.fround(A[(r + 5) * 3 + o] + TV[n5]);
      A[(r + 6) * 3 + o] = Math.fround(A[(r + 6) * 3 + o] + TV[n6]);
      A[(r + 7) * 3 + o] = Math.fround(A[(r + 7) * 3 + o] + TV[n7]);
    }
    for (; r < nb; r++) {
      const n = walkB(x, r * 4, s);
      A[r * 3 + o] = Math.fround(A[r * 3 + o] + TV[n]);
    }
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
