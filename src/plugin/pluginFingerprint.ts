// What, besides a model's bytes and options, shapes its compiled module: modelc's version and code (the built
// package's files, or the TypeScript sources), and for wasm the AssemblyScript toolchain. Part of every cache key.

import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compilerFingerprint, wasmToolchainFingerprint } from "../bundle/compilerFingerprint.ts";
import { hashText } from "../bundle/hashFile.ts";
import { packageVersion } from "../packageRoot.ts";
import type { PluginTarget } from "./parseModelQuery.ts";

let code: string | undefined;

export function pluginFingerprint(target: PluginTarget): string {
  if (code === undefined) {
    const here = fileURLToPath(import.meta.url);
    if (here.endsWith(".ts")) code = compilerFingerprint(new URL(import.meta.url));
    else {
      // the built package: every module beside this one (entries and shared chunks)
      const dir = dirname(here);
      const files = readdirSync(dir)
        .filter((f) => f.endsWith(".js"))
        .sort();
      code = hashText(files.map((f) => `${f} ${hashText(readFileSync(join(dir, f)))}`).join("\n"));
    }
    code = hashText(`modelc ${packageVersion()}\n${code}`);
  }
  return target === "wasm" ? hashText(`${code}\n${wasmToolchainFingerprint()}`) : code;
}
