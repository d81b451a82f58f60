// Smoke test of the readers on every file under fixtures/ (written by the
// project's Python generators): each JSON file parses, NaN/Infinity tokens are
// all accounted for, and each CSV parses to what a naive reader gives.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseTolerantJson } from "../../src/io/readJson.ts";
import { parseRowsCsv } from "../../src/io/readRows.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const fixtures = join(root, "fixtures");

function files(ext: string): string[] {
  if (!existsSync(fixtures)) return [];
  const out: string[] = [];
  for (const d of readdirSync(fixtures, { withFileTypes: true })) {
    if (!d.isDirectory()) continue;
    for (const f of readdirSync(join(fixtures, d.name))) if (f.endsWith(ext)) out.push(join(d.name, f));
  }
  return out.sort();
}

function occurrences(s: string, word: string): number {
  let n = 0;
  for (let i = s.indexOf(word); i !== -1; i = s.indexOf(word, i + word.length)) n++;
  return n;
}

/** Count NaN / ±Infinity numbers, and the words inside strings and keys. */
function tally(v: unknown): { nan: number; inf: number; nanInStrings: number; infInStrings: number } {
  const t = { nan: 0, inf: 0, nanInStrings: 0, infInStrings: 0 };
  const stack: unknown[] = [v];
  while (stack.length > 0) {
    const x = stack.pop();
    if (typeof x === "number") {
      if (Number.isNaN(x)) t.nan++;
      else if (!Number.isFinite(x)) t.inf++;
    } else if (typeof x === "string") {
      t.nanInStrings += occurrences(x, "NaN");
      t.infInStrings += occurrences(x, "Infinity");
    } else if (Array.isArray(x)) {
      stack.push(...x);
    } else if (x !== null && typeof x === "object") {
      for (const [k, y] of Object.entries(x)) {
        stack.push(k, y);
      }
    }
  }
  return t;
}

const jsonFiles = files(".json");
const csvFiles = files(".csv");

describe.skipIf(jsonFiles.length === 0)("fixtures/**/*.json", () => {
  it.each(jsonFiles)("%s parses, every NaN/Infinity token accounted for", (rel) => {
    const text = readFileSync(join(fixtures, rel), "utf8");
    const v = parseTolerantJson(text, rel);
    const t = tally(v);
    // JSON escapes could hide these words from the text count; fixtures don't use them
    expect(t.nan + t.nanInStrings).toBe(occurrences(text, "NaN"));
    expect(t.inf + t.infInStrings).toBe(occurrences(text, "Infinity"));
  });
});

function naiveCell(s: string): number {
  const w = s.trim().toLowerCase();
  if (w === "" || w === "nan" || s.trim() === "NA") return NaN;
  if (w === "inf" || w === "+inf" || w === "infinity") return Infinity;
  if (w === "-inf" || w === "-infinity") return -Infinity;
  return Number(s);
}

describe.skipIf(csvFiles.length === 0)("fixtures/**/*.csv", () => {
  it.each(csvFiles)("%s parses like a naive reader", (rel) => {
    const text = readFileSync(join(fixtures, rel), "utf8");
    const r = parseRowsCsv(text, rel);
    if (text.includes('"')) return; // the naive reader cannot do quotes
    const lines = text.replace(/\r?\n$/, "").split(/\r?\n/);
    const header = lines[0]!.split(",");
    expect(r.header).toEqual(header);
    expect(r.nRows).toBe(lines.length - 1);
    for (let i = 1; i < lines.length; i++) {
      const cells = lines[i]!.split(",").map(naiveCell);
      expect(Array.from(r.rows.subarray((i - 1) * r.nCols, i * r.nCols))).toEqual(cells);
    }
  });
});
