// The bundle in headless Chromium, served from localhost: each model loaded through index.js
// reproduces its fixture's outputs exactly, and loading one model fetches only its own chunk
// (and the shared runtime chunk), never another model's.

import { readFileSync, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundle } from "../../src/bundle/bundle.ts";
import type { Manifest } from "../../src/bundle/manifest.ts";
import { SUBSET, WASM_SUBSET, expectParity, fixtureData, modelFolder, replayModule, type Encoded } from "./support.ts";
import { launchChromium } from "../support/chromium.ts";

const skip = process.env.MODELC_SKIP_BROWSER === "1";

let tmp = "";
let out = "";
let server: Server;
let origin = "";
let browser: Browser;
let manifest: Manifest;
let wasmOut = "";
let wasmManifest: Manifest;

// The test page: plain browser code (kept out of vitest's transform, which rewrites import()).
// runModel(name, rows) loads a model through index.js and returns its outputs for every row,
// each number as the hex of its float64 bits so -0, NaN and ±Infinity survive the trip.
const PAGE = `<!doctype html><title>modelc bundle</title>
<script type="module">
const dv = new DataView(new ArrayBuffer(8));
const hex = (v) => (dv.setFloat64(0, v), dv.getBigUint64(0).toString(16).padStart(16, "0"));
const enc = (v) => (typeof v === "string" ? { s: v } : typeof v === "number" ? hex(v) : Array.from(v, hex));
window.loadModel = async (name, base = "/bundle/") => (await import(base + "index.js")).loadModel(name);
window.runModel = async (name, rowsB64, nRows, nCols, base) => {
  const all = new Float64Array(Uint8Array.from(atob(rowsB64), (c) => c.charCodeAt(0)).buffer);
  const m = await window.loadModel(name, base);
  const out = { predict: [], raw: [], proba: m.predictProba ? [] : undefined, score: m.scoreSamples ? [] : undefined };
  for (let r = 0; r < nRows; r++) {
    const row = all.subarray(r * nCols, (r + 1) * nCols);
    out.predict.push(enc(m.predict(row)));
    out.raw.push(enc(m.predictRaw(row)));
    if (out.proba) out.proba.push(enc(m.predictProba(row)));
    if (out.score) out.score.push(enc(m.scoreSamples(row)));
  }
  return out;
};
window.ready = true;
</script>`;

type PageWindow = {
  loadModel(name: string, base?: string): Promise<{ meta: { featureNames: string[] } }>;
  runModel(
    name: string,
    rowsB64: string,
    nRows: number,
    nCols: number,
    base?: string,
  ): Promise<{ predict: Encoded[]; proba?: Encoded[]; raw: Encoded[]; score?: Encoded[] }>;
};

/** Static files of the JavaScript bundle under /bundle/ and of the wasm bundle under /wasm/, and the test page at /. */
function serve(dirs: Record<string, string>): Promise<Server> {
  const types: Record<string, string> = { ".js": "text/javascript", ".json": "application/json", ".ts": "text/plain", ".wasm": "application/wasm" };
  const s = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path === "/") {
      res.writeHead(200, { "content-type": "text/html" }).end(PAGE);
      return;
    }
    const prefix = /^\/([a-z]+)\//.exec(path)?.[1];
    const dir = prefix === undefined ? undefined : dirs[prefix];
    const file = dir && normalize(join(dir, decodeURIComponent(path.slice(prefix!.length + 2))));
    if (!dir || !file?.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" }).end(readFileSync(file));
  });
  return new Promise((resolve) => s.listen(0, "127.0.0.1", () => resolve(s)));
}

beforeAll(async () => {
  if (skip) return;
  tmp = mkdtempSync(join(tmpdir(), "modelc-browser-"));
  out = join(tmp, "out");
  wasmOut = join(tmp, "wasm");
  await Promise.all([
    bundle([modelFolder(join(tmp, "models"))], { out }),
    bundle([modelFolder(join(tmp, "wasm-models"), WASM_SUBSET)], { out: wasmOut, target: "wasm" }),
  ]);
  manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
  wasmManifest = JSON.parse(readFileSync(join(wasmOut, "manifest.json"), "utf8"));
  server = await serve({ bundle: out, wasm: wasmOut });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Loads each model of `subset` in the page (from the bundle under `base`), predicts its fixture's rows, and compares exactly. */
async function expectBundleParity(subset: typeof SUBSET, base: string | undefined, label: string): Promise<void> {
  const page = await browser.newPage();
  await page.goto(origin + "/");
  await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
  let compared = 0;
  for (const s of subset) {
    const { rows } = fixtureData(s.fixture, s.file);
    const rowsB64 = Buffer.from(rows.rows.buffer, rows.rows.byteOffset, rows.rows.byteLength).toString("base64");
    const got = await page.evaluate(([name, b64, nRows, nCols, b]) => (window as unknown as PageWindow).runModel(name, b64, nRows, nCols, b), [
      s.name,
      rowsB64,
      rows.nRows,
      rows.nCols,
      base,
    ] as const);
    compared += expectParity(replayModule(got), s.fixture, s.file, `${s.name} (${label})`);
  }
  expect(compared).toBeGreaterThan(subset.length * 100);
  await page.close();
}

describe.skipIf(skip)("bundle in headless Chromium", () => {
  it("every model, loaded with loadModel, reproduces its fixture's outputs exactly", () => expectBundleParity(SUBSET, undefined, "Chromium"));

  it("loading one model fetches only its own chunk (and the runtime chunk if it imports it)", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const fetched: string[] = [];
    page.on("request", (r) => fetched.push(new URL(r.url()).pathname));
    await page.goto(origin + "/");
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
    const name = "xgb3-odd-names";
    const meta = await page.evaluate(async (n) => (await (window as unknown as PageWindow).loadModel(n)).meta, name);
    expect(meta.featureNames[4]).toBe("温度 🌡");
    const chunkOf = (n: string) => `/bundle/${manifest.models.find((m) => m.name === n)!.chunk}`;
    const runtime = `/bundle/${manifest.runtime!.chunk}`;
    const importsRuntime = (n: string) => readFileSync(join(out, chunkOf(n).slice("/bundle/".length)), "utf8").includes(manifest.runtime!.chunk);
    // this model needs no runtime helper (identity link), so not even the runtime chunk is fetched
    expect(importsRuntime(name)).toBe(false);
    expect(fetched.sort()).toEqual(["/", "/bundle/index.js", chunkOf(name)]);

    // a second model adds exactly its own chunk and the runtime chunk it imports; a third only its chunk
    fetched.length = 0;
    await page.evaluate(async () => {
      const w = window as unknown as PageWindow;
      await w.loadModel("xgb3-multi-softprob");
      await w.loadModel("xgb3-odd-names");
    });
    expect(importsRuntime("xgb3-multi-softprob")).toBe(true);
    expect(fetched.sort()).toEqual([chunkOf("xgb3-multi-softprob"), runtime].sort());
    fetched.length = 0;
    await page.evaluate(() => (window as unknown as PageWindow).loadModel("xgb3-binary-logistic"));
    expect(fetched).toEqual([chunkOf("xgb3-binary-logistic")]);
    await context.close();
  });
});

describe.skipIf(skip)("wasm bundle in headless Chromium", () => {
  it("every model, loaded with loadModel, reproduces its fixture's outputs exactly", () => expectBundleParity(WASM_SUBSET, "/wasm/", "wasm, Chromium"));

  it("loading one model fetches only its own chunk and .wasm, relative to the chunk's URL", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const fetched: string[] = [];
    page.on("request", (r) => fetched.push(new URL(r.url()).pathname));
    await page.goto(origin + "/");
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
    const filesOf = (n: string) => {
      const e = wasmManifest.models.find((m) => m.name === n)!;
      return [`/wasm/${e.chunk}`, `/wasm/${e.wasm!.file}`];
    };
    const meta = await page.evaluate(async (n) => (await (window as unknown as PageWindow).loadModel(n, "/wasm/")).meta, "xgb3-odd-names");
    expect(meta.featureNames[4]).toBe("温度 🌡");
    expect(fetched.sort()).toEqual(["/", "/wasm/index.js", ...filesOf("xgb3-odd-names")].sort());
    fetched.length = 0;
    await page.evaluate(async () => {
      const w = window as unknown as PageWindow;
      await w.loadModel("xgb3-binary-logistic@2", "/wasm/");
      await w.loadModel("xgb3-odd-names", "/wasm/");
    });
    expect(fetched.sort()).toEqual(filesOf("xgb3-binary-logistic@2").sort());
    await context.close();
  });
});
