// Golden outputs: the committed generated/golden files are exactly what the emitters write today
// (regenerate with `npm run golden` and review the diff), and they work when imported as a user would.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
// @ts-expect-error plain ES module script without types
import { GOLDEN, STYLES, goldenPath } from "../scripts/golden.mjs";
import { parseTolerantJson } from "../src/io/readJson.ts";

const ROOT = join(import.meta.dirname, "..");

describe("golden generated code", () => {
  for (const g of GOLDEN as { name: string; model: string }[]) {
    for (const style of STYLES as string[]) {
      it(`${g.name} (${style}) is up to date and predicts`, async () => {
        const tmp = mkdtempSync(join(tmpdir(), "modelc-golden-"));
        for (const ext of ["ts", "mjs"]) {
          const fresh = join(tmp, `x.${ext}`);
          const r = spawnSync(process.execPath, [join(ROOT, "bin", "modelc.js"), "compile", g.model, "--name", g.name, "--style", style, "-o", fresh], {
            cwd: ROOT,
            encoding: "utf8",
          });
          expect(r.status, r.stderr).toBe(0);
          const committed = readFileSync(join(ROOT, goldenPath(g.name, style, ext)), "utf8");
          expect(readFileSync(fresh, "utf8") === committed, `${goldenPath(g.name, style, ext)} is stale: run npm run golden`).toBe(true);
        }
        const mod = await import(pathToFileURL(join(ROOT, goldenPath(g.name, style, "mjs"))).href);
        const dir = join(ROOT, g.model, "..");
        const rows = readFileSync(join(dir, "rows.csv"), "utf8").trim().split("\n").slice(1);
        const expected = parseTolerantJson(readFileSync(join(dir, "expected.json"), "utf8")) as { predict: unknown[] };
        rows.forEach((line, i) => {
          const row = line.split(",").map((v) => (v === "" ? NaN : Number(v)));
          expect(mod.predict(row)).toEqual(expected.predict[i]);
        });
      });
    }
  }
});
