// Every fixture's generated output is what generated/output-hashes.json records: refactorings leave the
// generated code byte-identical; a deliberate change is regenerated with `npm run golden` and reviewed.

import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");

it("every fixture compiles to the recorded bytes (ts, mjs, AssemblyScript, wasm, bundle)", () => {
  const b = spawnSync(process.execPath, [join(ROOT, "scripts", "build.mjs")], { cwd: ROOT, encoding: "utf8" });
  expect(b.status, b.stderr).toBe(0);
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", join(ROOT, "scripts", "output-hashes.mjs"), "--check", join(ROOT, "generated", "output-hashes.json")],
    {
      cwd: ROOT,
      encoding: "utf8",
    },
  );
  expect(r.status, `${r.stdout}\n${r.stderr}\nrun \`npm run golden\` and review the diff if the change is deliberate`).toBe(0);
  expect(r.stdout).toMatch(/, 0 differ from /);
});
