// node --experimental-vm-modules edge-host.mjs <dir>: runs <dir>/driver.mjs and the ES modules it imports inside
// Vercel's edge-runtime (an EdgeVM context: web APIs only, no process, require or file system, no eval). The .wasm
// files named in <dir>/edge-wasm.json ({ case: file }) are handed over as bytes, since the edge cannot read them.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import vm from "node:vm";

const { EdgeRuntime } = createRequire(import.meta.url)("edge-runtime");
const dir = process.argv[2];
const edge = new EdgeRuntime();
const ctx = edge.context;
const wasm = JSON.parse(readFileSync(join(dir, "edge-wasm.json"), "utf8"));
ctx.__modelcWasmBytes = Object.fromEntries(Object.entries(wasm).map(([k, f]) => [k, new Uint8Array(readFileSync(join(dir, f)))]));
ctx.__modelcEmit = (line) => process.stdout.write(line + "\n");

const modules = new Map();
function moduleAt(url) {
  let m = modules.get(url);
  if (!m) {
    m = new vm.SourceTextModule(readFileSync(fileURLToPath(url), "utf8"), {
      context: ctx,
      identifier: url,
      initializeImportMeta: (meta) => {
        meta.url = url;
      },
    });
    modules.set(url, m);
  }
  return m;
}
const main = moduleAt(pathToFileURL(join(dir, "driver.mjs")).href);
await main.link((specifier, referrer) => moduleAt(new URL(specifier, referrer.identifier).href));
await main.evaluate();
