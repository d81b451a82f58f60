// Real XGBoost files: model.ubj must decode to the same value as its sibling
// model.json (read with parseTolerantJson). XGBoost stores float32 values; in
// JSON it writes the shortest decimal that round-trips *as float32*, so the
// JSON number is a double that only equals the UBJSON float32 after
// Math.fround. Everything else (ints, strings, key order) must be identical.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseTolerantJson } from "../../src/io/readJson.ts";
import { parseUbjson } from "../../src/io/readUbjson.ts";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");

function pairsIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => join(dir, d.name))
    .filter((d) => existsSync(join(d, "model.ubj")) && existsSync(join(d, "model.json")));
}

const dirs = [...pairsIn(join(here, "fixtures")), ...pairsIn(join(root, "fixtures"))];

interface Tally {
  exact: number;
  viaFround: number;
  mismatches: string[];
}

/** Compare the JSON-read value with the UBJSON-read value. */
function compare(json: unknown, ubj: unknown, path: string, t: Tally): void {
  if (t.mismatches.length > 20) return;
  if (typeof json === "number" && typeof ubj === "number") {
    if (Object.is(json, ubj)) t.exact++;
    else if (Object.is(Math.fround(json), ubj)) t.viaFround++;
    else t.mismatches.push(`${path}: json ${json} vs ubj ${ubj}`);
    return;
  }
  if (Array.isArray(json) && Array.isArray(ubj)) {
    if (json.length !== ubj.length) t.mismatches.push(`${path}: length ${json.length} vs ${ubj.length}`);
    for (let i = 0; i < Math.min(json.length, ubj.length); i++) compare(json[i], ubj[i], `${path}[${i}]`, t);
    return;
  }
  if (json && ubj && typeof json === "object" && typeof ubj === "object" && !Array.isArray(json) && !Array.isArray(ubj)) {
    const kj = Object.keys(json);
    const ku = Object.keys(ubj);
    if (kj.join("\u0000") !== ku.join("\u0000")) t.mismatches.push(`${path}: keys ${kj} vs ${ku}`);
    for (const k of kj) compare((json as Record<string, unknown>)[k], (ubj as Record<string, unknown>)[k], `${path}.${k}`, t);
    return;
  }
  if (!Object.is(json, ubj)) t.mismatches.push(`${path}: ${JSON.stringify(json)} vs ${JSON.stringify(ubj)}`);
}

describe("XGBoost model.ubj vs model.json", () => {
  it("has fixtures to compare", () => {
    // test/io/fixtures ships two real pairs; fixtures/*/ may add more
    expect(dirs.length).toBeGreaterThanOrEqual(2);
  });

  for (const dir of dirs) {
    it(`${relative(root, dir)}: same value (floats equal after Math.fround)`, () => {
      const json = parseTolerantJson(readFileSync(join(dir, "model.json"), "utf8"), join(dir, "model.json"));
      const ubj = parseUbjson(readFileSync(join(dir, "model.ubj")), join(dir, "model.ubj"));
      const t: Tally = { exact: 0, viaFround: 0, mismatches: [] };
      compare(json, ubj, "$", t);
      expect(t.mismatches).toEqual([]);
      expect(t.exact).toBeGreaterThan(0);
      // tree models: every split condition in the UBJSON is a float32 value
      const model = (ubj as { learner?: { gradient_booster?: { model?: { trees?: { split_conditions?: number[] }[] } } } }).learner?.gradient_booster?.model;
      for (const tr of model?.trees ?? []) for (const x of tr.split_conditions ?? []) expect(Object.is(Math.fround(x), x)).toBe(true);
      if (dir.startsWith(here)) {
        // our own fixtures are tree models with non-trivial float32 values
        expect(model?.trees?.length).toBeGreaterThan(0);
        expect(t.viaFround).toBeGreaterThan(0);
      }
    });
  }
});
