// A hash of the compiler itself, so chunks are rebuilt when modelc's code changes even if its
// version number does not: the built worker file, or every TypeScript source when run from source;
// for wasm chunks also the AssemblyScript runtime files and compiler version.

import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { packageRoot } from "../packageRoot.ts";
import { hashText } from "./hashFile.ts";

let cached: string | undefined;

export function compilerFingerprint(worker: URL): string {
  if (cached) return cached;
  const file = fileURLToPath(worker);
  if (file.endsWith(".js")) return (cached = hashText(readFileSync(file)));
  const parts: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|mjs)$/.test(e.name) && !e.name.endsWith(".test.ts")) parts.push(p, hashText(readFileSync(p)));
    }
  };
  for (const d of ["src", "emitters"]) walk(join(packageRoot(), d));
  return (cached = hashText(parts.join("\n")));
}

let wasmCached: string | undefined;

/**
 * What else shapes a wasm chunk: the AssemblyScript runtime helpers (src/runtime/as/*.as, read from disk when a
 * model is compiled) and the AssemblyScript compiler's version.
 */
export function wasmToolchainFingerprint(): string {
  if (wasmCached) return wasmCached;
  const dir = join(packageRoot(), "src", "runtime", "as");
  const parts = readdirSync(dir)
    .filter((f) => f.endsWith(".as"))
    .sort()
    .map((f) => `${f} ${hashText(readFileSync(join(dir, f)))}`);
  let asc = "unknown";
  try {
    asc = (JSON.parse(readFileSync(createRequire(import.meta.url).resolve("assemblyscript/package.json"), "utf8")) as { version: string }).version;
  } catch {
    // not installed: the build fails later with a clear error
  }
  return (wasmCached = hashText([`assemblyscript ${asc}`, ...parts].join("\n")));
}
