// The plugin from the built package in Vite, Rollup, esbuild and webpack 5: a production build of an app that
// imports two models lazily (JavaScript, and `&target=wasm`) gives one chunk per model and the .wasm asset, and in
// headless Chromium reproduces the fixtures' expected outputs exactly; a warm rebuild compiles nothing; a malformed
// model or an unknown query option fails the build with modelc's one-line message.

import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../src/compile.ts";
import { CompileError } from "../../src/errors.ts";
import { expectParity, fixtureData, replayModule, type Encoded } from "../bundle/support.ts";
import { BUNDLERS, HERE, ROOT, buildApp, buildPackage, ensureBundlers, type Bundler } from "./support.ts";
import { launchChromium } from "../support/chromium.ts";

const skipBrowser = process.env.MODELC_SKIP_BROWSER === "1";
const APP = join(HERE, "app", "main.js");
const MODELS = { js: { fixture: "xgb3-multi-softprob", file: "model.json" }, wasm: { fixture: "lgb4-binary", file: "model.txt" } } as const;

let tmp = "";
let cacheDir = "";
let server: Server;
let origin = "";
let browser: Browser | undefined;
const outs: Record<string, string> = {};

/** The page of one built app: webpack's output is a classic script (its public path comes from document.currentScript). */
const page = (bundler: string) =>
  `<!doctype html><title>modelc ${bundler}</title><script ${bundler === "webpack" ? "" : 'type="module" '}src="main.js"></script>`;

function serve(): Promise<Server> {
  const types: Record<string, string> = { ".js": "text/javascript", ".wasm": "application/wasm" };
  const s = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const m = /^\/([a-z]+)\/(.*)$/.exec(path);
    const dir = m && outs[m[1]!];
    if (!m || !dir) return void res.writeHead(404).end();
    if (m[2] === "") return void res.writeHead(200, { "content-type": "text/html" }).end(page(m[1]!));
    const file = normalize(join(dir, decodeURIComponent(m[2]!)));
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" }).end(readFileSync(file));
  });
  return new Promise((resolve) => s.listen(0, "127.0.0.1", () => resolve(s)));
}

beforeAll(async () => {
  ensureBundlers();
  buildPackage();
  tmp = mkdtempSync(join(tmpdir(), "modelc-plugin-"));
  cacheDir = join(tmp, "cache");
  server = await serve();
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  if (!skipBrowser) {
    browser = await launchChromium();
  }
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

type Outputs = { predict: Encoded[]; raw: Encoded[]; proba?: Encoded[] };
type PageWindow = { runModel(kind: string, rowsB64: string, nRows: number, nCols: number): Promise<Outputs> };

/** Opens the built app, loads each model on first use, and checks what each load fetched and predicted. */
async function expectAppInBrowser(bundler: Bundler, out: string): Promise<void> {
  const p = await browser!.newPage();
  const errors: string[] = [];
  p.on("pageerror", (e) => errors.push(e.message));
  const fetched: string[] = [];
  p.on("request", (r) => fetched.push(new URL(r.url()).pathname));
  await p.goto(`${origin}/${bundler}/`);
  await p.waitForFunction(() => (globalThis as unknown as { ready?: boolean }).ready === true);
  expect(fetched.filter((f) => /model|\.wasm$/.test(f) && !f.endsWith("/main.js"))).toEqual([]);
  const wasmFiles = readdirSync(out, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".wasm"));
  expect(wasmFiles).toHaveLength(1);
  for (const kind of ["js", "wasm"] as const) {
    const { fixture, file } = MODELS[kind];
    const { rows } = fixtureData(fixture, file);
    const rowsB64 = Buffer.from(rows.rows.buffer, rows.rows.byteOffset, rows.rows.byteLength).toString("base64");
    fetched.length = 0;
    const got = await p.evaluate(([k, b64, n, c]) => (globalThis as unknown as PageWindow).runModel(k, b64, n, c), [
      kind,
      rowsB64,
      rows.nRows,
      rows.nCols,
    ] as const);
    // loaded on first use: the model's own chunk (and its .wasm), nothing else
    const js = fetched.filter((f) => f.endsWith(".js"));
    const wasm = fetched.filter((f) => f.endsWith(".wasm"));
    expect(js, `${bundler} ${kind}: ${fetched.join(", ")}`).toHaveLength(1);
    expect(wasm).toEqual(kind === "wasm" ? [`/${bundler}/${wasmFiles[0]}`] : []);
    expect(expectParity(replayModule(got), fixture, file, `${fixture} (${bundler}, ${kind})`)).toBeGreaterThan(100);
  }
  expect(errors).toEqual([]);
  await p.close();
}

describe("bundler plugin, production builds", () => {
  for (const bundler of BUNDLERS) {
    it(`${bundler}: one chunk per model and the .wasm asset; Chromium predicts the fixtures exactly`, async () => {
      const out = join(tmp, "out", bundler);
      const r = buildApp(bundler, APP, out, cacheDir);
      expect(r.stderr, r.stderr).toBe("");
      expect(r.ok).toBe(true);
      // the first build (rollup) compiles both models; the others find them in the shared disk cache
      expect(r.report).toMatchObject(bundler === "rollup" ? { compiled: 2, cached: 0 } : { compiled: 0, cached: 2 });
      outs[bundler] = out;
      if (!skipBrowser) await expectAppInBrowser(bundler, out);
    }, 120_000);
  }

  it("a warm rebuild compiles nothing (every bundler's report)", () => {
    for (const bundler of BUNDLERS) {
      const r = buildApp(bundler, APP, join(tmp, "warm", bundler), cacheDir);
      expect(r.ok, r.stderr).toBe(true);
      expect(r.report!.compiled, bundler).toBe(0);
      expect(r.report!.cached, bundler).toBe(2);
    }
  }, 120_000);
});

describe("bundler plugin, errors", () => {
  let app = "";
  let expected = "";
  beforeAll(async () => {
    app = join(tmp, "bad");
    mkdirSync(join(app, "models"), { recursive: true });
    const broken = join(app, "models", "broken.json");
    const doc = JSON.parse(readFileSync(join(ROOT, "fixtures", "xgb3-binary-logistic", "model.json"), "utf8"));
    delete doc.learner.learner_model_param.base_score;
    writeFileSync(broken, JSON.stringify(doc));
    writeFileSync(join(app, "main.js"), 'export const load = () => import("./models/broken.json?modelc");\n');
    writeFileSync(join(app, "option.js"), 'export const load = () => import("./models/ok.json?modelc&colour=red");\n');
    copyFileSync(join(ROOT, "fixtures", "xgb3-binary-logistic", "model.json"), join(app, "models", "ok.json"));
    const e = await compile({ path: broken }, { target: "js" }).then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(CompileError);
    expected = `modelc: ${(e as CompileError).toLine()}`;
    expect(expected).toContain("$.learner.learner_model_param.base_score");
  });

  for (const bundler of BUNDLERS) {
    it(`${bundler}: a malformed model fails the build with modelc's one-line message, no stack`, () => {
      const r = buildApp(bundler, join(app, "main.js"), join(tmp, "bad-out", bundler), cacheDir);
      expect(r.ok).toBe(false);
      expect(r.stderr).toContain(expected);
      expect(r.stderr).not.toMatch(/^\s+at /m);
    }, 60_000);
  }

  it("an unknown query option fails the build naming it (rollup, esbuild)", () => {
    for (const bundler of ["rollup", "esbuild"] as const) {
      const r = buildApp(bundler, join(app, "option.js"), join(tmp, "bad-out", `${bundler}-option`), cacheDir);
      expect(r.ok).toBe(false);
      expect(r.stderr).toContain('unknown import query option "colour" (options: target, style)');
    }
  }, 60_000);
});
