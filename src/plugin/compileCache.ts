// The plugin's disk cache of compiled models: one entry per (model bytes, target, style, model name, modelc
// fingerprint), a JSON file with the module's code and a .wasm beside it, so a warm build compiles nothing.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { hashText } from "../bundle/hashFile.ts";
import { writeAtomic } from "../io/writeAtomic.ts";
import type { CompiledModel } from "./compileModel.ts";

export class CompileCache {
  /** `dir` null: no disk cache (every build compiles) */
  constructor(readonly dir: string | null) {}

  static key(parts: readonly string[]): string {
    return hashText(parts.join("\0"));
  }

  get(key: string): CompiledModel | null {
    if (!this.dir) return null;
    const file = join(this.dir, `${key}.json`);
    try {
      if (!existsSync(file)) return null;
      const entry = JSON.parse(readFileSync(file, "utf8")) as Omit<CompiledModel, "wasm"> & { wasm: boolean };
      const wasm = entry.wasm ? new Uint8Array(readFileSync(join(this.dir, `${key}.wasm`))) : null;
      return { ...entry, wasm };
    } catch {
      // unreadable or half-removed entries are compiled again
      return null;
    }
  }

  set(key: string, model: CompiledModel): void {
    if (!this.dir) return;
    try {
      // the .wasm first: an entry is only ever found complete
      if (model.wasm) writeAtomic(join(this.dir, `${key}.wasm`), model.wasm);
      writeAtomic(join(this.dir, `${key}.json`), JSON.stringify({ ...model, wasm: model.wasm !== null }));
    } catch {
      // a read-only cache folder only costs compile time
    }
  }
}
