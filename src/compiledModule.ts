// Compiles an IR to JavaScript and imports it, for `diff` and tests: the same code a user ships.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { emitJavaScript, type EmitOptions, type Style } from "../emitters/registry.ts";
import type { GeneratedModule } from "./api/generatedModule.ts";
import type { ModelIR } from "./ir/types.ts";

/** The API of a generated module (docs/SPEC.md "Generated module"): src/api/generatedModule.ts, narrowed per model by its ApiShape. */
export type { GeneratedModule };

export async function importJs(js: string): Promise<GeneratedModule> {
  const dir = mkdtempSync(join(tmpdir(), "modelc-"));
  const file = join(dir, "model.mjs");
  try {
    writeFileSync(file, js);
    return (await import(pathToFileURL(file).href)) as GeneratedModule;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function compileToModule(ir: ModelIR, style: Style, opts: EmitOptions = {}): Promise<GeneratedModule> {
  return importJs(await emitJavaScript(ir, style, opts));
}
