// CLI start-up against bare Node, interleaved in one run (ratios, not absolute times: shared machines
// are noisy): `node -e 0`, `modelc --version`, `modelc --help`, and `modelc compile` of the small
// example model to .ts (start-up plus a few ms of work). Median of --runs (default 15) each.
//   node bench/startup.mjs [--runs N]
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..");
const runs = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 15;
const tmp = mkdtempSync(join(tmpdir(), "modelc-startup-"));
const bin = join(ROOT, "bin", "modelc.js");
const cases = {
  "node -e 0": ["-e", "0"],
  "modelc --version": [bin, "--version"],
  "modelc --help": [bin, "--help"],
  "modelc compile iris → .ts": [bin, "compile", join(ROOT, "examples/iris-xgb/model.json"), "-o", join(tmp, "iris.ts")],
};
const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let i = 0; i < runs; i++) {
  for (const [name, args] of Object.entries(cases)) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${name}: ${r.stderr}`);
    times[name].push(performance.now() - t0);
  }
}
const median = (a) => a.sort((x, y) => x - y)[a.length >> 1];
const base = median(times["node -e 0"]);
for (const [name, t] of Object.entries(times))
  console.log(`${name.padEnd(28)} ${median(t).toFixed(1).padStart(7)} ms  ${(median(t) / base).toFixed(2)}× node -e 0`);
