// The example app (examples/vite-app), as its README builds it (`tsc --noEmit` then `vite build`, its own
// vite.config.ts and tsconfig.json), without installing its dependencies: a copy of it in a temporary folder whose
// node_modules links modelc to this package (what `"modelc": "file:../.."` installs), vite to the tests' pinned one
// (test/plugin) and typescript to the package's. In headless Chromium each button loads its model on first click and
// the table shows the fixtures' expected outputs exactly.

import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { GeneratedModule } from "../../src/compiledModule.ts";
import { expectParity } from "../bundle/support.ts";
import { HERE, ROOT, ensureBundlers } from "./support.ts";
import { launchChromium } from "../support/chromium.ts";

const skipBrowser = process.env.MODELC_SKIP_BROWSER === "1";
const EXAMPLE = join(ROOT, "examples", "vite-app");
const MODELS = {
  xgb: { fixture: "xgb3-binary-logistic", file: "model.json", wasm: false },
  lgb: { fixture: "lgb4-binary", file: "model.txt", wasm: true },
} as const;

let tmp = "";
let app = "";
let server: Server | undefined;
let origin = "";
let browser: Browser | undefined;

function serve(dir: string): Promise<Server> {
  const types: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css" };
  const s = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const file = normalize(join(dir, path === "/" ? "index.html" : path));
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  return new Promise((resolve) => s.listen(0, "127.0.0.1", () => resolve(s)));
}

beforeAll(async () => {
  ensureBundlers();
  // dist/ and dist/types (modelc/client and modelc/vite's declarations, for the example's tsc)
  execFileSync(process.execPath, [join(ROOT, "scripts", "build.mjs"), "--types"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  tmp = mkdtempSync(join(tmpdir(), "modelc-example-"));
  app = join(tmp, "vite-app");
  cpSync(EXAMPLE, app, { recursive: true, filter: (src) => !/[/\\](node_modules|dist)$/.test(src) });
  mkdirSync(join(app, "node_modules"));
  symlinkSync(ROOT, join(app, "node_modules", "modelc"), "dir");
  symlinkSync(join(HERE, "node_modules", "vite"), join(app, "node_modules", "vite"), "dir");
  symlinkSync(join(ROOT, "node_modules", "typescript"), join(app, "node_modules", "typescript"), "dir");
  if (!skipBrowser) {
    browser = await launchChromium();
  }
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** A module that answers each call, in row order, with what the page's table showed. */
function replayTable(cells: string[][]): GeneratedModule {
  const number = (t: string) => Number(t);
  const value = (t: string) => (t.includes(" ") ? Float64Array.from(t.split(" "), number) : number(t));
  const column = (c: number, f: (t: string) => unknown) => {
    let i = 0;
    return () => f(cells[i++]![c]!);
  };
  return {
    meta: { name: "page", task: "", nFeatures: 0, nOutputs: 0 },
    predict: column(1, (t) => (Number.isNaN(Number(t)) && t !== "NaN" ? t : number(t))) as GeneratedModule["predict"],
    predictProba: column(2, (t) => Float64Array.from(t.split(" "), number)) as GeneratedModule["predictProba"],
    predictRaw: column(3, value) as GeneratedModule["predictRaw"],
    predictBatch: () => new Float64Array(),
    predictRawBatch: () => new Float64Array(),
  };
}

it("type-checks (tsc with vite/client and modelc/client) and builds with its vite.config.ts", async () => {
  const tsc = spawnSync(process.execPath, [join(app, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "-p", join(app, "tsconfig.json")], {
    cwd: app,
    encoding: "utf8",
  });
  expect(tsc.stdout + tsc.stderr).toBe("");
  expect(tsc.status).toBe(0);
  const vite = (await import(pathToFileURL(join(HERE, "node_modules", "vite", "dist", "node", "index.js")).href)) as {
    build(config: object): Promise<unknown>;
  };
  await vite.build({ root: app, configFile: join(app, "vite.config.ts"), logLevel: "silent" });
  const out = readdirSync(join(app, "dist"), { recursive: true, encoding: "utf8" });
  expect(out).toContain("index.html");
  expect(out.filter((f) => f.endsWith(".wasm"))).toHaveLength(1);
  server = await serve(join(app, "dist"));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

it.skipIf(skipBrowser)(
  "in Chromium, each button loads its model on first click and shows the fixture's outputs exactly",
  async () => {
    expect(origin, "the build failed").not.toBe("");
    const p = await browser!.newPage();
    const errors: string[] = [];
    p.on("pageerror", (e) => errors.push(e.message));
    p.on("console", (m) => void (m.type() === "error" && errors.push(m.text())));
    const fetched: string[] = [];
    p.on("request", (r) => fetched.push(new URL(r.url()).pathname));
    await p.goto(`${origin}/`);
    await p.waitForLoadState("load");
    const atStart = fetched.length;
    expect(fetched.filter((f) => f.endsWith(".wasm"))).toEqual([]);
    for (const [id, { fixture, file, wasm }] of Object.entries(MODELS)) {
      fetched.length = 0;
      await p.click(`#${id}`);
      await p.waitForSelector(`#status[data-model="${id}"]`, { timeout: 30_000 });
      // the model's chunk (and the rows' text, and the .wasm) came with the click
      expect(fetched.filter((f) => f.endsWith(".js")).length, `${id}: ${fetched.join(", ")}`).toBeGreaterThan(0);
      expect(fetched.filter((f) => f.endsWith(".wasm")).length, `${id}: ${fetched.join(", ")}`).toBe(wasm ? 1 : 0);
      const cells = await p.$$eval("#predictions tbody tr", (trs) =>
        trs.map((tr) => Array.from((tr as HTMLTableRowElement).cells, (td) => td.textContent ?? "")),
      );
      expect(cells.length).toBeGreaterThan(50);
      expect(expectParity(replayTable(cells), fixture, file, `example app, ${id}`)).toBeGreaterThan(100);
      expect(await p.textContent("#status")).toMatch(/binary/);
    }
    expect(atStart).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await p.close();
  },
  120_000,
);
