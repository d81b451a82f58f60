// Generated code where users run it: the same outputs, bit for bit, on Node, Deno, Bun and Vercel's edge-runtime
// (JavaScript modules and wasm loaders), and bundles built into browser apps by Vite, esbuild, Rollup and webpack 5
// (with the recipes of test/consumers/README.md for the .wasm files) reproducing the fixtures in headless Chromium.
// The runtimes and bundlers are pinned in test/consumers/package-lock.json, installed here when missing or stale.

import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { promisify } from "node:util";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundle } from "../../src/bundle/bundle.ts";
import { textOf } from "../../emitters/target.ts";
import { compile } from "../../src/compile.ts";
import { ROOT, expectParity, fixtureData, replayModule, type Encoded } from "../bundle/support.ts";
import { launchChromium } from "../support/chromium.ts";

const run = promisify(execFile);
const HERE = import.meta.dirname;
const BIN = join(HERE, "node_modules", ".bin");
const skipBrowser = process.env.MODELC_SKIP_BROWSER === "1";

type Outputs = { predict: Encoded[]; proba?: Encoded[]; raw: Encoded[]; score?: Encoded[] };
type Report = { host: string; results: Record<string, Outputs> };

/** npm ci of test/consumers when its node_modules is missing or older than its lock (scripts/test.sh's rule for the root). */
function ensureInstalled(): void {
  const marker = join(HERE, "node_modules", ".package-lock.json");
  if (existsSync(marker) && statSync(join(HERE, "package-lock.json")).mtimeMs <= statSync(marker).mtimeMs) return;
  execFileSync("npm", ["ci", "--prefix", HERE, "--no-audit", "--no-fund"], { stdio: ["ignore", "inherit", "inherit"] });
}

// Runtime cases: a model compiled to an ES module, or to a .wasm and its loader.
const CASES: readonly { name: string; fixture: string; file: string; wasm: boolean }[] = [
  { name: "xgb-multi", fixture: "xgb3-multi-softprob", file: "model.json", wasm: false },
  { name: "lgb-binary", fixture: "lgb4-binary", file: "model.txt", wasm: false },
  { name: "rf-strings", fixture: "sk19-rf-clf-string-labels", file: "model.json", wasm: false },
  { name: "logreg", fixture: "sk19-logreg-multinomial", file: "model.json", wasm: false },
  { name: "xgb-multi-wasm", fixture: "xgb3-multi-softprob", file: "model.json", wasm: true },
  // the .wasm's name needs URL-encoding in the loader ("#", "%", a space, non-ASCII)
  { name: "rf-strings-wasm", fixture: "sk19-rf-clf-string-labels", file: "model.json", wasm: true },
];
const WASM_NAME: Record<string, string> = { "xgb-multi-wasm": "xgb multi.wasm", "rf-strings-wasm": "rf #1 100% ü.wasm" };

// Bundler apps: the models of each bundle (a JavaScript bundle and a --target wasm bundle).
const JS_MODELS = CASES.filter((c) => !c.wasm).slice(0, 3);
const WASM_MODELS = [
  { name: "xgb-multi", fixture: "xgb3-multi-softprob", file: "model.json" },
  { name: "rf-strings", fixture: "sk19-rf-clf-string-labels", file: "model.json" },
];
const BUNDLERS = ["vite", "esbuild", "rollup", "webpack"] as const;
const KINDS = ["js", "wasm"] as const;

let tmp = "";
let runDir = "";
// Node's run, the reference the other runtimes are compared with
let nodeRun: Promise<Report>;

function rowsHex(fixture: string, file: string): { rows: string; nRows: number; nCols: number } {
  const { rows } = fixtureData(fixture, file);
  return { rows: hexOf(rows.rows), nRows: rows.nRows, nCols: rows.nCols };
}

function hexOf(v: Float64Array): string {
  const dv = new DataView(new ArrayBuffer(8));
  let s = "";
  for (const x of v) {
    dv.setFloat64(0, x);
    s += dv.getBigUint64(0).toString(16).padStart(16, "0");
  }
  return s;
}

/** Compiles the cases into runDir beside driver.mjs and a cases.mjs importing them. */
async function writeRuntimeCases(): Promise<void> {
  mkdirSync(runDir, { recursive: true });
  writeFileSync(join(runDir, "package.json"), '{ "type": "module" }\n');
  for (const f of ["driver.mjs", "fetch-only.mjs"]) writeFileSync(join(runDir, f), readFileSync(join(HERE, f)));
  const imports: string[] = [];
  const entries: string[] = [];
  const edgeWasm: Record<string, string> = {};
  for (const [i, c] of CASES.entries()) {
    const out = join(runDir, c.wasm ? WASM_NAME[c.name]! : `${c.name}.mjs`);
    const r = await compile({ path: join(ROOT, "fixtures", c.fixture, c.file) }, { out, name: c.name });
    for (const f of r.files) writeFileSync(join(runDir, f.path.slice(f.path.lastIndexOf("/") + 1)), f.contents instanceof Uint8Array ? f.contents : textOf(f));
    let spec = `./${c.name}.mjs`;
    if (c.wasm) {
      // the loader under a plain name (the .wasm it reads keeps the odd one)
      renameSync(join(runDir, WASM_NAME[c.name]!.replace(/\.wasm$/, ".js")), join(runDir, `${c.name}.js`));
      spec = `./${c.name}.js`;
      edgeWasm[c.name] = WASM_NAME[c.name]!;
    }
    imports.push(`import * as m${i} from ${JSON.stringify(spec)};`);
    const d = rowsHex(c.fixture, c.file);
    entries.push(`  { name: ${JSON.stringify(c.name)}, mod: m${i}, wasm: ${c.wasm}, nRows: ${d.nRows}, nCols: ${d.nCols}, rows: ${JSON.stringify(d.rows)} },`);
  }
  writeFileSync(join(runDir, "cases.mjs"), `${imports.join("\n")}\nexport const cases = [\n${entries.join("\n")}\n];\n`);
  writeFileSync(join(runDir, "edge-wasm.json"), JSON.stringify(edgeWasm));
}

async function runIn(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Report> {
  const { stdout } = await run(cmd, args, { cwd: runDir, maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: "1", ...env } });
  const line = stdout.trim().split("\n").pop()!;
  return JSON.parse(line) as Report;
}

// The runtimes' binaries: those of the platform packages (bun's own bin/ is a placeholder until its postinstall
// links it), else the packages' bin entries.
const firstExisting = (...paths: string[]) => paths.find((p) => existsSync(p)) ?? paths[paths.length - 1]!;
const denoBin = () => join(BIN, "deno");
const bunBin = () =>
  firstExisting(
    ...["bun-linux-x64", "bun-linux-x64-baseline", "bun-linux-aarch64"].map((p) => join(HERE, "node_modules", "@oven", p, "bin", "bun")),
    join(BIN, "bun"),
  );

/** Why a runtime's binary cannot run here, or "" when it can. */
function unavailable(bin: string): string {
  try {
    execFileSync(bin, ["--version"], { stdio: "pipe" });
    return "";
  } catch (e) {
    return `${bin} does not run here: ${(e as Error).message.split("\n")[0]}`;
  }
}

beforeAll(async () => {
  ensureInstalled();
  tmp = mkdtempSync(join(tmpdir(), "modelc-consumers-"));
  runDir = join(tmp, "run");
  await writeRuntimeCases();
  nodeRun = runIn(process.execPath, ["driver.mjs"]);
  nodeRun.catch(() => undefined); // reported by the tests that use it
});

afterAll(() => {
  if (tmp && !process.env.MODELC_KEEP_TMP) rmSync(tmp, { recursive: true, force: true });
});

describe("generated modules and wasm loaders on server and edge runtimes", () => {
  it("Node reproduces every fixture exactly (the reference for the other runtimes)", async () => {
    const nodeReport = await nodeRun;
    expect(nodeReport.host).toBe(`node ${process.version}`);
    let compared = 0;
    for (const c of CASES) compared += expectParity(replayModule(nodeReport.results[c.name]!), c.fixture, c.file, `${c.name} (Node)`);
    expect(compared).toBeGreaterThan(CASES.length * 100);
  });

  const deno = (entry: string) => () =>
    runIn(denoBin(), ["run", `--allow-read=${runDir}`, "--no-prompt", entry], { DENO_NO_UPDATE_CHECK: "1", DENO_DIR: join(tmp, "deno-dir") });
  const bun = (entry: string) => () => runIn(bunBin(), [entry], { BUN_INSTALL_CACHE_DIR: join(tmp, "bun-cache") });
  const others: { label: string; host: RegExp; bin?: () => string; go: () => Promise<Report> }[] = [
    { label: "Deno", host: /^deno 2\./, bin: denoBin, go: deno("driver.mjs") },
    { label: "Deno (wasm read with fetch of its file: URL)", host: /^deno 2\./, bin: denoBin, go: deno("fetch-only.mjs") },
    { label: "Bun", host: /^bun 1\./, bin: bunBin, go: bun("driver.mjs") },
    { label: "Bun (wasm read with fetch of its file: URL)", host: /^bun 1\./, bin: bunBin, go: bun("fetch-only.mjs") },
    // an EdgeVM context has no file system: the loader's import succeeds, and instantiate(bytes) runs the model
    {
      label: "edge-runtime",
      host: /^edge-runtime \(edge-runtime\)$/,
      go: () => runIn(process.execPath, ["--experimental-vm-modules", "--no-warnings", join(HERE, "edge-host.mjs"), runDir]),
    },
  ];
  for (const o of others) {
    it(`${o.label} gives Node's outputs bit for bit`, async (ctx) => {
      const why = o.bin ? unavailable(o.bin()) : "";
      if (why) {
        console.warn(`skipped: ${why}`);
        ctx.skip();
      }
      const nodeReport = await nodeRun;
      const rep = await o.go();
      expect(rep.host).toMatch(o.host);
      expect(Object.keys(rep.results)).toEqual(CASES.map((c) => c.name));
      for (const c of CASES) expect(rep.results[c.name], `${c.name} on ${o.label}`).toEqual(nodeReport.results[c.name]);
    });
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Bundlers: an app importing a bundle's index.js, built by each bundler, served over http and run in Chromium.

const APP = `import { loadModel } from "../gen-KIND/index.js";
const dv = new DataView(new ArrayBuffer(8));
const hex = (v) => (dv.setFloat64(0, v), dv.getBigUint64(0).toString(16).padStart(16, "0"));
const enc = (v) => (typeof v === "string" ? { s: v } : typeof v === "number" ? hex(v) : Array.from(v, hex));
window.runModel = async (name, rowsB64, nRows, nCols) => {
  const all = new Float64Array(Uint8Array.from(atob(rowsB64), (c) => c.charCodeAt(0)).buffer);
  const m = await loadModel(name);
  const out = { predict: [], raw: [], proba: m.predictProba ? [] : undefined };
  for (let r = 0; r < nRows; r++) {
    const row = all.subarray(r * nCols, (r + 1) * nCols);
    out.predict.push(enc(m.predict(row)));
    out.raw.push(enc(m.predictRaw(row)));
    if (out.proba) out.proba.push(enc(m.predictProba(row)));
  }
  return out;
};
window.ready = true;
`;

// the bundlers as a user runs them: not in vitest's test mode (NODE_ENV=test silences Vite's warnings)
const buildEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "NODE_ENV" && !k.startsWith("VITEST") && k !== "TEST"));

function serve(dir: string): Promise<Server> {
  const types: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };
  const s = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const file = normalize(join(dir, path));
    if (!file.startsWith(dir + "/") || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" }).end(readFileSync(file));
  });
  return new Promise((resolve) => s.listen(0, "127.0.0.1", () => resolve(s)));
}

describe.skipIf(skipBrowser)("bundles built by Vite, esbuild, Rollup and webpack, in headless Chromium", () => {
  let web = "";
  let server: Server | undefined;
  let browser: Browser | undefined;
  const warnings: Record<string, string[]> = {};
  const failures: Record<string, string> = {};

  beforeAll(async () => {
    web = join(tmp, "web");
    const models = (kind: string, list: readonly { name: string; fixture: string; file: string }[]) => {
      const dir = join(tmp, `models-${kind}`);
      mkdirSync(dir, { recursive: true });
      for (const m of list) writeFileSync(join(dir, m.name + extname(m.file)), readFileSync(join(ROOT, "fixtures", m.fixture, m.file)));
      return dir;
    };
    await bundle([models("js", JS_MODELS)], { out: join(tmp, "gen-js") });
    await bundle([models("wasm", WASM_MODELS)], { out: join(tmp, "gen-wasm"), target: "wasm" });
    for (const k of KINDS) {
      mkdirSync(join(tmp, `app-${k}`));
      writeFileSync(join(tmp, `app-${k}`, "main.js"), APP.replace("KIND", k));
    }
    // two builds at a time (2 cores)
    const jobs = BUNDLERS.flatMap((b) => KINDS.map((k) => [b, k] as const));
    const next = async (): Promise<void> => {
      const j = jobs.shift();
      if (!j) return;
      const [b, k] = j;
      try {
        const { stdout } = await run(process.execPath, [join(HERE, "build.mjs"), b, join(tmp, `app-${k}`, "main.js"), join(web, `${b}-${k}`)], {
          cwd: HERE,
          maxBuffer: 16 << 20,
          env: buildEnv,
        });
        warnings[`${b}-${k}`] = (JSON.parse(stdout.trim().split("\n").pop()!) as { warnings: string[] }).warnings;
      } catch (e) {
        // reported by that build's test
        failures[`${b}-${k}`] = `${b} build failed: ${(e as { stderr?: string }).stderr || (e as Error).message}`;
      }
      return next();
    };
    await Promise.all([next(), next()]);
    server = await serve(web);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
  });

  for (const b of BUNDLERS) {
    for (const k of KINDS) {
      it(`${b}: the app with the ${k === "js" ? "JavaScript" : "wasm"} bundle reproduces the fixtures exactly`, async () => {
        if (failures[`${b}-${k}`]) throw new Error(failures[`${b}-${k}`]);
        expect(warnings[`${b}-${k}`], `${b} build warnings`).toEqual([]);
        const page = await browser!.newPage();
        const wasmFetched: string[] = [];
        page.on("request", (r) => {
          if (new URL(r.url()).pathname.endsWith(".wasm")) wasmFetched.push(new URL(r.url()).pathname);
        });
        const origin = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
        const errors: string[] = [];
        page.on("pageerror", (e) => errors.push(e.message));
        await page.goto(`${origin}/${b}-${k}/index.html`);
        await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, undefined, { timeout: 20_000 });
        const list = k === "js" ? JS_MODELS : WASM_MODELS;
        let compared = 0;
        for (const m of list) {
          const { rows } = fixtureData(m.fixture, m.file);
          const b64 = Buffer.from(rows.rows.buffer, rows.rows.byteOffset, rows.rows.byteLength).toString("base64");
          const got = await page.evaluate(([name, r, n, c]) => (window as unknown as { runModel(...a: unknown[]): Promise<Outputs> }).runModel(name, r, n, c), [
            m.name,
            b64,
            rows.nRows,
            rows.nCols,
          ] as const);
          compared += expectParity(replayModule(got), m.fixture, m.file, `${m.name} (${b}, ${k} bundle)`);
        }
        expect(compared).toBeGreaterThan(list.length * 100);
        expect(errors).toEqual([]);
        if (k === "wasm") {
          // the .wasm files were emitted into the build (the server serves nothing else); Vite inlines those under
          // its assetsInlineLimit (4 kB) as data: URLs
          const out = join(web, `${b}-${k}`);
          const emitted = readdirSync(out, { recursive: true })
            .map(String)
            .filter((f) => f.endsWith(".wasm"));
          const inlined = readdirSync(out, { recursive: true })
            .map(String)
            .filter((f) => f.endsWith(".js"))
            .reduce((n, f) => n + (readFileSync(join(out, f), "utf8").match(/data:application\/wasm;base64,/g)?.length ?? 0), 0);
          expect(emitted.length + inlined).toBe(WASM_MODELS.length);
          expect(new Set(wasmFetched).size).toBe(emitted.length);
          if (b !== "vite") expect(inlined).toBe(0);
        }
        await page.close();
      });
    }
  }
});
