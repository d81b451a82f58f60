// The test app every bundler builds: two models imported lazily, one as JavaScript, one as WebAssembly.
// runModel(kind, rows) predicts every row with the model's default export (the same functions as its named exports),
// each number as the hex of its float64 bits so -0, NaN and ±Infinity survive the trip out of the browser.
const models = {
  js: () => import("../../../fixtures/xgb3-multi-softprob/model.json?modelc"),
  wasm: () => import("../../../fixtures/lgb4-binary/model.txt?modelc&target=wasm"),
};

const dv = new DataView(new ArrayBuffer(8));
const hex = (v) => {
  dv.setFloat64(0, v);
  return dv.getBigUint64(0).toString(16).padStart(16, "0");
};
const enc = (v) => (typeof v === "string" ? { s: v } : typeof v === "number" ? hex(v) : Array.from(v, hex));

globalThis.runModel = async (kind, rowsB64, nRows, nCols) => {
  const ns = await models[kind]();
  const m = ns.default;
  if (m.predict !== ns.predict || m.meta !== ns.meta) throw new Error("the default export differs from the named exports");
  const all = new Float64Array(Uint8Array.from(atob(rowsB64), (c) => c.charCodeAt(0)).buffer);
  const out = { predict: [], raw: [], proba: m.predictProba ? [] : undefined };
  for (let r = 0; r < nRows; r++) {
    const row = all.subarray(r * nCols, (r + 1) * nCols);
    out.predict.push(enc(m.predict(row)));
    out.raw.push(enc(m.predictRaw(row)));
    if (out.proba) out.proba.push(enc(m.predictProba(row)));
  }
  return out;
};
globalThis.ready = true;
