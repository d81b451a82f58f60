// Every fixture model bundled, and compiled to TypeScript: the TypeScript compiler (one in-process Program) checks
// that each model's type in the bundle's index.d.ts and the generated module's own declarations agree.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emitTypeScript } from "../../emitters/registry.ts";
import { apiShape } from "../../src/api/apiShape.ts";
import { bundle } from "../../src/bundle/bundle.ts";
import type { Manifest } from "../../src/bundle/manifest.ts";
import { loadModel } from "../../src/loadModel.ts";
import { FIXTURES } from "./support.ts";

let tmp = "";
let manifest: Manifest;
/** each bundled model's TypeScript module (mods/m<i>.ts), imported as M<i> by the check file */
const modules: { name: string; alias: string; file: string }[] = [];

/** Every model file of every fixture (meta.json model_files, default model.json). */
function fixtureModels(): { fixture: string; file: string }[] {
  const out: { fixture: string; file: string }[] = [];
  for (const fixture of readdirSync(FIXTURES).sort()) {
    const metaFile = join(FIXTURES, fixture, "meta.json");
    if (!existsSync(metaFile)) continue;
    const meta = JSON.parse(readFileSync(metaFile, "utf8")) as { model_files?: string[] };
    for (const file of meta.model_files ?? ["model.json"]) if (existsSync(join(FIXTURES, fixture, file))) out.push({ fixture, file });
  }
  return out;
}

// The checks, as types: a model agrees when both sides have the same members, and each member of index.d.ts, with
// a class label widened to number or string (the module declares `number`, index.d.ts the union of its classes),
// is mutually assignable with the module's.
const PRELUDE = `import type { Models } from "./bundle/index.js";
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Widen<T> = T extends number ? number : T extends string ? string : T;
type Loose<T> = { [K in keyof T]: T[K] extends (...a: infer P) => infer R ? (...a: P) => Widen<R> : T[K] };
type Fns<T> = { [K in keyof T]: T[K] extends (...a: infer P) => infer R ? (...a: P) => R : T[K] };
type Agree<M, D> = Same<keyof M, keyof D> extends true ? (Same<Fns<M>, Loose<D>> extends true ? (D extends Fns<M> ? true : false) : false) : false;
`;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "modelc-apitypes-"));
  const models = join(tmp, "models");
  mkdirSync(models);
  for (const m of fixtureModels()) {
    const ext = m.file.slice(m.file.lastIndexOf("."));
    symlinkSync(join(FIXTURES, m.fixture, m.file), join(models, `${m.fixture}--${m.file.replace(/\./g, "_")}${ext}`));
  }
  const out = join(tmp, "bundle");
  await bundle([models], { out, style: "table" });
  manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as Manifest;
  mkdirSync(join(tmp, "mods"));
  manifest.models.forEach((e, i) => {
    // the module the chunk was minified from (style aside: the API does not depend on it)
    const ir = loadModel(join(out, e.source), { name: e.name });
    expect(e.api, e.name).toEqual(apiShape(ir));
    const file = join(tmp, "mods", `m${i}.ts`);
    writeFileSync(file, emitTypeScript(ir, "table"));
    modules.push({ name: e.name, alias: `M${i}`, file });
  });
}, 240_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Type errors of the check file and everything it imports: the file and line of each, and its message. */
function typeErrors(lines: string[]): { file: string; line: number; message: string }[] {
  const file = join(tmp, "check.ts");
  writeFileSync(file, lines.join("\n") + "\n");
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: true,
    types: [],
    lib: ["lib.es2022.d.ts"],
  };
  const program = ts.createProgram([file], options);
  // every file: the check file, index.d.ts, and each module (its code returns what its signatures declare)
  return ts.getPreEmitDiagnostics(program).map((d) => ({
    file: d.file?.fileName ?? "",
    line: d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : -1,
    message: ts.flattenDiagnosticMessageText(d.messageText, "\n"),
  }));
}

const dtsType = (name: string) => `Models[${JSON.stringify(name)}]`;

describe("index.d.ts and the generated modules", () => {
  it("agree for every fixture model (tsc)", () => {
    expect(modules.length).toBeGreaterThan(300);
    const lines = PRELUDE.trimEnd().split("\n");
    for (const m of modules) lines.push(`import type * as ${m.alias} from "./mods/${m.alias.toLowerCase()}.ts";`);
    const checkAt = new Map<number, string>();
    for (const m of modules) {
      checkAt.set(lines.length, m.name);
      lines.push(`export const ${m.alias}_agrees: Agree<typeof ${m.alias}, ${dtsType(m.name)}> = true;`);
    }
    // controls, which must disagree: a multi-output classifier's predict typed as a number (the old bug), a missing
    // function, a wrong predictRaw, string labels typed as numbers, predictProba typed as a Float64Array (single-row
    // vectors are plain arrays)
    const find = (prefix: string) => modules.find((m) => m.name.startsWith(prefix))!;
    const multi = find("sk19-dt-clf-multioutput--");
    const binary = find("xgb3-binary-logistic--");
    const strings = find("sk19-svc-string-labels--");
    const controls: [typeof multi, string][] = [
      [multi, `Omit<${dtsType(multi.name)}, "predict"> & { predict(x: ArrayLike<number>): number }`],
      [binary, `Omit<${dtsType(binary.name)}, "predictProbaInto">`],
      [binary, `Omit<${dtsType(binary.name)}, "predictRaw"> & { predictRaw(x: ArrayLike<number>): Float64Array }`],
      [strings, `Omit<${dtsType(strings.name)}, "predict"> & { predict(x: ArrayLike<number>): 0 | 1 | 2 }`],
      [binary, `Omit<${dtsType(binary.name)}, "predictProba"> & { predictProba(x: ArrayLike<number>): Float64Array }`],
    ];
    controls.forEach(([m, type], i) => lines.push(`export const control${i}: Agree<typeof ${m.alias}, ${type}> = false;`));
    const byFile = new Map(modules.map((m) => [m.file, m.name]));
    const failed = typeErrors(lines).map((d) =>
      d.file.endsWith("check.ts") && checkAt.has(d.line)
        ? `${checkAt.get(d.line)}: index.d.ts and the module's declarations disagree`
        : `${byFile.get(d.file) ?? d.file}:${d.line + 1}: ${d.message.split("\n")[0]}`,
    );
    expect(failed).toEqual([]);
    expect(manifest.models.find((e) => e.name === multi.name)!.api.predict).toBe("number[]");
  });
});
