// Runs in Node, Deno, Bun and edge-runtime alike (copied beside a generated cases.mjs): predicts every row of every
// case with the generated module and prints the outputs, each number as the hex of its float64 bits, as one JSON
// line: { host, results: { <case>: { predict, proba?, raw, score? } } }.
import { cases } from "./cases.mjs";

const dv = new DataView(new ArrayBuffer(8));
const hex = (v) => {
  dv.setFloat64(0, v);
  return dv.getBigUint64(0).toString(16).padStart(16, "0");
};
const enc = (v) => (typeof v === "string" ? { s: v } : typeof v === "number" ? hex(v) : Array.from(v, hex));
const unhex = (h) => {
  dv.setBigUint64(0, BigInt("0x" + h));
  return dv.getFloat64(0);
};

const host =
  typeof Deno !== "undefined"
    ? `deno ${Deno.version.deno}`
    : typeof Bun !== "undefined"
      ? `bun ${Bun.version}`
      : typeof EdgeRuntime === "string"
        ? `edge-runtime (${EdgeRuntime})`
        : `node ${process.version}`;

// A host without file access (edge-runtime) hands the .wasm bytes over: the loader's import succeeded, its
// functions say why they cannot run, and instantiate(bytes) gives the API.
async function apiOf(c) {
  const bytes = c.wasm ? globalThis.__modelcWasmBytes?.[c.name] : undefined;
  if (!bytes) return c.mod;
  let why = "";
  try {
    c.mod.predict(new Float64Array(c.nCols));
  } catch (e) {
    why = String(e?.message);
  }
  if (!why.includes("instantiate(bytes")) throw new Error(`${c.name}: expected the unloaded loader to say to use instantiate(bytes), got: ${why}`);
  return c.mod.instantiate(bytes);
}

const results = {};
for (const c of cases) {
  const m = await apiOf(c);
  const rows = new Float64Array(c.nRows * c.nCols);
  for (let i = 0; i < rows.length; i++) rows[i] = unhex(c.rows.slice(16 * i, 16 * i + 16));
  const out = { predict: [], raw: [] };
  if (m.predictProba) out.proba = [];
  if (m.scoreSamples) out.score = [];
  for (let r = 0; r < c.nRows; r++) {
    const row = Array.from(rows.subarray(r * c.nCols, (r + 1) * c.nCols));
    out.predict.push(enc(m.predict(row)));
    out.raw.push(enc(m.predictRaw(row)));
    if (out.proba) out.proba.push(enc(m.predictProba(row)));
    if (out.score) out.score.push(enc(m.scoreSamples(row)));
  }
  results[c.name] = out;
}
const line = JSON.stringify({ host, results });
if (typeof globalThis.__modelcEmit === "function") globalThis.__modelcEmit(line);
else console.log(line);
