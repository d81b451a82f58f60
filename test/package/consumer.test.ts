// The package as users install it: `npm pack`, the tarball installed into a fresh CommonJS project and a
// fresh ES-module project (dependencies from the npm cache), and in each: the CLI, the API, a .mjs, a .js,
// a type-checked .ts, a wasm model (ESM project, with assemblyscript) or the one-line install hint
// (CommonJS project, without it), and a bundle loaded with loadModel.

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const PKG = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string; devDependencies: Record<string, string> };
const IRIS = join(ROOT, "examples", "iris-xgb");
const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");
const expected = JSON.parse(readFileSync(join(IRIS, "expected.json"), "utf8")) as { predict: number[]; predict_proba: number[][] };
const rows = readFileSync(join(IRIS, "rows.csv"), "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((l) => l.split(",").map(Number));
let tarball = "";

function run(cwd: string, cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false" }, maxBuffer: 32 << 20 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function ok(r: { code: number | null; out: string; err: string }, what: string) {
  expect(r.code, `${what}\n${r.out}\n${r.err}`).toBe(0);
  return r.out;
}

/** A fresh project of the given type with the tarball (and extra packages) installed. */
function project(type: "commonjs" | "module", extra: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), `modelc-consumer-${type}-`));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `consumer-${type}`, version: "1.0.0", private: true, type }, null, 2));
  ok(run(dir, "npm", ["install", tarball, ...extra, "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"]), `npm install in ${dir}`);
  return dir;
}

/** Predictions of a module for the iris rows, printed by a script in the project. */
function predictions(dir: string, script: string, file: string): { predict: unknown[]; proba: number[][] } {
  writeFileSync(join(dir, file), script);
  return JSON.parse(ok(run(dir, process.execPath, [file]), file)) as { predict: unknown[]; proba: number[][] };
}

const ROWS = JSON.stringify(rows);

function expectIris(got: { predict: unknown[]; proba: number[][] }) {
  expect(got.predict).toEqual(expected.predict);
  got.proba.forEach((p, i) => p.forEach((v, k) => expect(Object.is(v, expected.predict_proba[i]![k]), `row ${i}[${k}]`).toBe(true)));
}

beforeAll(() => {
  const dest = mkdtempSync(join(tmpdir(), "modelc-pack-"));
  const out = ok(run(ROOT, "npm", ["pack", "--pack-destination", dest, "--loglevel=error"]), "npm pack");
  tarball = join(dest, out.trim().split("\n").pop()!);
  const files = ok(run(ROOT, "tar", ["-tzf", tarball]), "tar").split("\n");
  expect(
    files.some((f) => f.endsWith(".map")),
    "no source maps in the package",
  ).toBe(false);
  expect(files).toContain("package/LICENSE");
  expect(files).toContain("package/dist/index.js");
  expect(files).toContain("package/dist/types/src/index.d.ts");
}, 300_000);

describe("the packed package in a fresh CommonJS project", () => {
  let dir = "";
  beforeAll(() => {
    dir = project("commonjs");
  }, 300_000);

  it("runs the CLI and writes modules that load there: .js as CommonJS, .mjs, a bundle", () => {
    expect(ok(run(dir, "npx", ["modelc", "--version"]), "--version").trim()).toBe(PKG.version);
    ok(run(dir, "npx", ["modelc", "compile", join(IRIS, "model.json"), "-o", "iris.js"]), "compile .js");
    ok(run(dir, "npx", ["modelc", "compile", join(IRIS, "model.json"), "-o", "iris.mjs"]), "compile .mjs");
    expect(readdirSync(dir)).toEqual(expect.arrayContaining(["iris.js", "iris.d.ts", "iris.mjs", "iris.d.mts"]));
    expectIris(
      predictions(
        dir,
        `const m = require("./iris.js"); const rows = ${ROWS}; console.log(JSON.stringify({ predict: rows.map((r) => m.predict(r)), proba: rows.map((r) => Array.from(m.predictProba(r))) }));`,
        "use-cjs.js",
      ),
    );
    expectIris(
      predictions(
        dir,
        `import("./iris.mjs").then((m) => { const rows = ${ROWS}; console.log(JSON.stringify({ predict: rows.map((r) => m.predict(r)), proba: rows.map((r) => Array.from(m.predictProba(r))) })); });`,
        "use-mjs.js",
      ),
    );
    mkdirSync(join(dir, "models"));
    writeFileSync(join(dir, "models", "iris.json"), readFileSync(join(IRIS, "model.json")));
    ok(run(dir, "npx", ["modelc", "bundle", "models", "-o", "gen", "--json"]), "bundle");
    expectIris(
      predictions(
        dir,
        `import("./gen/index.js").then(async ({ loadModel }) => { const m = await loadModel("iris"); const rows = ${ROWS}; console.log(JSON.stringify({ predict: rows.map((r) => m.predict(r)), proba: rows.map((r) => Array.from(m.predictProba(r))) })); });`,
        "use-bundle.js",
      ),
    );
  }, 300_000);

  it("require('modelc') gives the API; the wasm target without assemblyscript names the install command", () => {
    const api = `const { compile } = require("modelc"); const fs = require("fs"); compile(fs.readFileSync(${JSON.stringify(join(IRIS, "model.json"))}), { file: "iris.json", target: "js" }).then((r) => console.log(JSON.stringify(r.files.map((f) => f.path))));`;
    writeFileSync(join(dir, "api.js"), api);
    expect(JSON.parse(ok(run(dir, process.execPath, ["api.js"]), "require('modelc')"))).toEqual(["iris.js", "iris.d.ts"]);
    const w = run(dir, "npx", ["modelc", "compile", join(IRIS, "model.json"), "-o", "iris.wasm"]);
    expect(w.code).toBe(2);
    expect(w.err.trim().split("\n")).toHaveLength(1);
    expect(w.err).toMatch(/needs the assemblyscript package.*npm install --save-dev assemblyscript/);
  }, 120_000);
});

describe("the packed package in a fresh ES-module project", () => {
  let dir = "";
  beforeAll(() => {
    dir = project("module", [`assemblyscript@${PKG.devDependencies["assemblyscript"]!.replace(/^\^/, "")}`]);
  }, 300_000);

  it("imports the API with its types, and a .ts module type-checks under strict", () => {
    ok(run(dir, "npx", ["modelc", "compile", join(IRIS, "model.json"), "--name", "iris", "-o", "src/iris.ts"]), "compile .ts");
    ok(run(dir, "npx", ["modelc", "compile", join(IRIS, "model.json"), "--name", "iris", "-o", "src/iris-js.mjs"]), "compile .mjs");
    writeFileSync(
      join(dir, "src", "use.ts"),
      [
        'import { compile, CompileError, type CompileResult } from "modelc";',
        'import { meta, predict, predictProba } from "./iris.ts";',
        'import * as js from "./iris-js.mjs";',
        "const label: number = predict([5.1, 3.5, 1.4, 0.2]);",
        "const p: number[] = predictProba([5.1, 3.5, 1.4, 0.2]);",
        'const name: "iris" = meta.name;',
        "const same: 0 | 1 | 2 = js.predict([1, 2, 3, 4]);",
        'const r: Promise<CompileResult> = compile("{}", { target: "js" });',
        "r.catch((e: unknown) => e instanceof CompileError && e.code);",
        "export { label, p, name, same };",
      ].join("\n"),
    );
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: "nodenext",
          moduleResolution: "nodenext",
          target: "es2022",
          noEmit: true,
          allowImportingTsExtensions: true,
          skipLibCheck: false,
          types: [],
        },
        include: ["src"],
      }),
    );
    ok(run(dir, process.execPath, [TSC, "-p", "tsconfig.json"]), "tsc strict");
    writeFileSync(
      join(dir, "api.mjs"),
      `import { compile, STYLES } from "modelc"; const r = await compile({ path: ${JSON.stringify(join(IRIS, "model.json"))} }, { out: "x.mjs" }); console.log(JSON.stringify([STYLES, r.meta.task, r.files.map((f) => f.path)]));`,
    );
    expect(JSON.parse(ok(run(dir, process.execPath, ["api.mjs"]), "import modelc"))).toEqual([["ifelse", "table"], "multiclass", ["x.mjs", "x.d.mts"]]);
  }, 300_000);

  it("compiles a wasm model with the installed assemblyscript; loader, bundle and .mjs predict alike", () => {
    ok(run(dir, "npx", ["modelc", "compile", join(IRIS, "model.json"), "-o", "iris.wasm"]), "compile .wasm");
    expect(readdirSync(dir)).toEqual(expect.arrayContaining(["iris.wasm", "iris.js", "iris.d.ts"]));
    expectIris(
      predictions(
        dir,
        `import * as m from "./iris.js"; const rows = ${ROWS}; console.log(JSON.stringify({ predict: rows.map((r) => m.predict(r)), proba: rows.map((r) => Array.from(m.predictProba(r))) }));`,
        "use-wasm.mjs",
      ),
    );
    mkdirSync(join(dir, "models"));
    writeFileSync(join(dir, "models", "iris.json"), readFileSync(join(IRIS, "model.json")));
    ok(run(dir, "npx", ["modelc", "bundle", "models", "-o", "gen", "--json", "--target", "wasm"]), "bundle --target wasm");
    expectIris(
      predictions(
        dir,
        `import { loadModel } from "./gen/index.js"; const m = await loadModel("iris"); const rows = ${ROWS}; console.log(JSON.stringify({ predict: rows.map((r) => m.predict(r)), proba: rows.map((r) => Array.from(m.predictProba(r))) }));`,
        "use-wasm-bundle.mjs",
      ),
    );
  }, 300_000);
});
