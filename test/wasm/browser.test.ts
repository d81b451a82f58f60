// The .wasm loader in headless Chromium (Debian's, through playwright-core), served from a localhost server started
// here: the loader fetches its .wasm beside it, and every output (single-row and batch forms) equals, bit for bit,
// what the same loader gives in Node and what the evaluator gives.

import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emitWasm } from "../../emitters/as/index.ts";
import type { GeneratedModule } from "../../src/compiledModule.ts";
import { evaluatePredict, evaluatePredictRaw, evaluateProba } from "../../src/ir/evaluate.ts";
import type { ModelIR } from "../../src/ir/types.ts";
import { parseRowsCsv } from "../../src/io/readRows.ts";
import { loadModel } from "../../src/loadModel.ts";
import { launchChromium } from "../support/chromium.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const skip = process.env.MODELC_SKIP_BROWSER === "1";

const MODELS: { name: string; fixture: string; file: string; style: "ifelse" | "table" }[] = [
  { name: "softprob", fixture: "xgb3-multi-softprob", file: "model.json", style: "table" },
  { name: "lgb", fixture: "lgb4-binary", file: "model.txt", style: "ifelse" },
  { name: "pipe", fixture: "sk19-pipe-scaler-hgb", file: "model.json", style: "table" },
];

// The test page (plain browser code): run(name, rows) imports /m/<name>.js, whose top-level await fetches the .wasm
// beside it, and returns every output with each number as the hex of its float64 bits (-0, NaN, ±Infinity survive).
const PAGE = `<!doctype html><title>modelc wasm</title>
<script type="module">
const dv = new DataView(new ArrayBuffer(8));
const hex = (v) => (dv.setFloat64(0, v), dv.getBigUint64(0).toString(16).padStart(16, "0"));
const enc = (v) => (typeof v === "string" ? "s:" + v : typeof v === "number" ? hex(v) : Array.from(v, hex).join(","));
window.run = async (name, rowsB64, nRows, nCols) => {
  const rows = new Float64Array(Uint8Array.from(atob(rowsB64), (c) => c.charCodeAt(0)).buffer);
  const m = await import("/m/" + name + ".js");
  const out = { batch: enc(m.predictBatch(rows, nRows)), raw: enc(m.predictRawBatch(rows, nRows)), single: [] };
  if (m.predictProbaBatch) out.proba = enc(m.predictProbaBatch(rows, nRows));
  for (let r = 0; r < nRows; r++) {
    const row = Array.from(rows.subarray(r * nCols, (r + 1) * nCols));
    out.single.push([enc(m.predict(row)), enc(m.predictRaw(row)), m.predictProba ? enc(m.predictProba(row)) : ""]);
  }
  try { m.predict([1]); } catch (e) { out.error = e.name + ": " + e.message; }
  return out;
};
window.ready = true;
</script>`;

type Out = { batch: string; raw: string; proba?: string; single: string[][]; error?: string };

const dv = new DataView(new ArrayBuffer(8));
const hex = (v: number) => {
  dv.setFloat64(0, v);
  return dv.getBigUint64(0).toString(16).padStart(16, "0");
};
const enc = (v: unknown): string => (typeof v === "string" ? "s:" + v : typeof v === "number" ? hex(v) : Array.from(v as ArrayLike<number>, hex).join(","));

let tmp = "";
let server: Server;
let origin = "";
let browser: Browser;
const irs = new Map<string, ModelIR>();

function serve(dir: string): Promise<Server> {
  const types: Record<string, string> = { ".js": "text/javascript", ".wasm": "application/wasm" };
  const s = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path === "/") {
      res.writeHead(200, { "content-type": "text/html" }).end(PAGE);
      return;
    }
    const file = normalize(join(dir, decodeURIComponent(path.replace(/^\/m\//, ""))));
    if (!path.startsWith("/m/") || !file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" }).end(readFileSync(file));
  });
  return new Promise((resolve) => s.listen(0, "127.0.0.1", () => resolve(s)));
}

function rowsOf(fixture: string) {
  return parseRowsCsv(readFileSync(join(ROOT, "fixtures", fixture, "rows.csv"), "utf8"), "rows.csv");
}

beforeAll(async () => {
  if (skip) return;
  tmp = mkdtempSync(join(tmpdir(), "modelc-wasm-browser-"));
  for (const m of MODELS) {
    const ir = loadModel(join(ROOT, "fixtures", m.fixture, m.file), {});
    irs.set(m.name, ir);
    const out = await emitWasm(ir, m.style);
    writeFileSync(join(tmp, `${m.name}.wasm`), out.wasm);
    writeFileSync(join(tmp, `${m.name}.js`), out.loader(`${m.name}.wasm`));
  }
  server = await serve(tmp);
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(skip)("the .wasm loader in headless Chromium", () => {
  it("fetches its .wasm and reproduces the Node loader and the evaluator bit for bit", async () => {
    const page = await browser.newPage();
    const fetched: string[] = [];
    page.on("request", (r) => fetched.push(new URL(r.url()).pathname));
    await page.goto(origin + "/");
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
    let compared = 0;
    for (const m of MODELS) {
      const rows = rowsOf(m.fixture);
      const b64 = Buffer.from(rows.rows.buffer, rows.rows.byteOffset, rows.rows.byteLength).toString("base64");
      const got = (await page.evaluate(([name, s, n, c]) => (window as unknown as { run(...a: unknown[]): Promise<unknown> }).run(name, s, n, c), [
        m.name,
        b64,
        rows.nRows,
        rows.nCols,
      ] as const)) as Out;
      // the same loader in Node (reads the .wasm with node:fs)
      const node = (await import(pathToFileURL(join(tmp, `${m.name}.js`)).href)) as GeneratedModule;
      expect(got.batch, m.name).toBe(enc(node.predictBatch(rows.rows, rows.nRows)));
      expect(got.raw, m.name).toBe(enc(node.predictRawBatch(rows.rows, rows.nRows)));
      if (node.predictProbaBatch) expect(got.proba, m.name).toBe(enc(node.predictProbaBatch(rows.rows, rows.nRows)));
      let err = "";
      try {
        node.predict([1]);
      } catch (e) {
        err = `${(e as Error).name}: ${(e as Error).message}`;
      }
      expect(got.error).toBe(err);
      // and the evaluator
      const ir = irs.get(m.name)!;
      for (let r = 0; r < rows.nRows; r++) {
        const row = rows.rows.subarray(r * rows.nCols, (r + 1) * rows.nCols);
        const raw = evaluatePredictRaw(ir, row);
        const proba = evaluateProba(ir, row);
        expect(got.single[r], `${m.name} row ${r}`).toEqual([enc(evaluatePredict(ir, row)), enc(ir.nOutputs === 1 ? raw[0]! : raw), proba ? enc(proba) : ""]);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(200);
    expect(fetched).toEqual(expect.arrayContaining(MODELS.flatMap((m) => [`/m/${m.name}.js`, `/m/${m.name}.wasm`])));
    await page.close();
  });
});
