// Regenerates the golden outputs in generated/golden: tiny models compiled in every style, committed
// and reviewed as diffs when an emitter changes. `npm run golden` (test/golden.test.ts checks them).
import { spawnSync } from "node:child_process";
import { join } from "node:path";

export const GOLDEN = [
  { name: "iris", model: "examples/iris-xgb/model.json" },
  { name: "linear", model: "fixtures/xgb3-gblinear-binary/model.json" },
];
export const STYLES = ["ifelse", "table"];

export function goldenPath(name, style, ext) {
  return join("generated", "golden", `${name}.${style}.${ext}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = join(import.meta.dirname, "..");
  spawnSync(process.execPath, [join(root, "scripts", "build.mjs")], { stdio: "inherit", cwd: root });
  for (const g of GOLDEN) {
    for (const style of STYLES) {
      for (const ext of ["ts", "mjs"]) {
        const r = spawnSync(process.execPath, ["bin/modelc.js", "compile", g.model, "--name", g.name, "--style", style, "-o", goldenPath(g.name, style, ext)], {
          cwd: root,
          stdio: "inherit",
        });
        if (r.status !== 0) process.exit(r.status ?? 1);
      }
    }
  }
  console.log("golden outputs written to generated/golden");
  const h = spawnSync(process.execPath, ["--import", "tsx", join(root, "scripts", "output-hashes.mjs")], { cwd: root, stdio: "inherit" });
  if (h.status !== 0) process.exit(h.status ?? 1);
}
