// parseJsonBytes: long strings lifted out of the text give the values JSON.parse gives, and errors
// keep the original text's line and column (also when the text is too long to decode at once).

import { describe, expect, it } from "vitest";
import { parseTolerantJson } from "../../src/io/readJson.ts";
import { parseJsonBytes } from "../../src/io/readJsonBytes.ts";
import { compileErrorOf } from "../support/compileError.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const b64 = (n: number, seed: number) => {
  const abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  let s = "";
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    s += abc[x % 64];
  }
  return s;
};

const errorOf = compileErrorOf;

const LONG = b64(3000, 1);
const LONG2 = b64(2048, 2);

describe("parseJsonBytes", () => {
  it("gives JSON.parse's values, with long strings in objects, arrays and at the top", () => {
    const docs = [
      { a: LONG, b: [LONG2, 1, "x", { c: LONG }], [LONG.slice(0, 1500)]: 1, d: "é" + LONG, e: LONG + "\\n", f: NaN },
      [LONG, LONG2, null],
      LONG,
      { k: "\u0001" + LONG, n: [1e300, -0, Infinity] },
    ];
    for (const d of docs) {
      const text = JSON.stringify(d, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? `@${v}` : v)).replace(/"@(NaN|-?Infinity)"/g, "$1");
      const got = parseJsonBytes(enc(text), "d.json", { liftMin: 1024 });
      expect(got).toEqual(parseTolerantJson(text));
      expect(JSON.stringify(got)).toBe(JSON.stringify(parseTolerantJson(text)));
    }
  });

  it("lifted strings are read on access, stay equal, and can be replaced", () => {
    const d = parseJsonBytes(enc(JSON.stringify({ a: { bytes: LONG } })), "d.json") as { a: { bytes: string } };
    expect(Object.getOwnPropertyDescriptor(d.a, "bytes")?.get).toBeTypeOf("function");
    expect(d.a.bytes).toBe(LONG);
    expect(d.a.bytes).toBe(LONG);
    d.a.bytes = "x";
    expect(d.a.bytes).toBe("x");
    expect(Object.keys(d.a)).toEqual(["bytes"]);
  });

  it("reports errors at the original line and column, also past lifted strings", () => {
    const bad = [
      `{"a": "${LONG}", "b": [1, 2,]}`,
      `{"a": "${LONG}",\n "b": "${LONG2}" "c": 1}`,
      `[\n"${LONG}", "${LONG2}", tru]`,
      `{"a": "${LONG}", "b": "\u0001"}`,
      `{"a": "${LONG}"`,
      `{"a": "${LONG}", "é": "${LONG2}", x}`,
    ];
    for (const text of bad) {
      const want = errorOf(() => parseTolerantJson(text, "d.json"));
      // small enough to decode: the plain reader's error
      const e1 = errorOf(() => parseJsonBytes(enc(text), "d.json"));
      expect(e1.toLine()).toBe(want.toLine());
      // "too long to decode": the skeleton's error mapped back to the original text
      const e2 = errorOf(() => parseJsonBytes(enc(text), "d.json", { maxText: 1000 }));
      expect(e2.toLine()).toBe(want.toLine());
    }
  });

  it("accepts documents whose text is too long only because of long strings, refuses the rest", () => {
    const text = JSON.stringify({ a: LONG, b: [LONG2, LONG] });
    expect(parseJsonBytes(enc(text), "d.json", { maxText: 1000 })).toEqual(JSON.parse(text));
    const numbers = JSON.stringify({ a: Array.from({ length: 500 }, (_, i) => i) });
    const e = errorOf(() => parseJsonBytes(enc(numbers), "d.json", { maxText: 1000 }));
    expect(e.code).toBe("E_LIMIT");
    expect(e.toLine()).toMatch(/^d\.json: .*512 MiB/);
  });

  it("never lifts property names or strings with escapes, control characters or non-ASCII", () => {
    const key = LONG.slice(0, 1100);
    const text = `{"${key}": "${LONG}", "e": "${LONG}\\u0041", "u": "${LONG}é"}`;
    const d = parseJsonBytes(enc(text), "d.json") as Record<string, string>;
    expect(Object.keys(d)).toEqual([key, "e", "u"]);
    expect(Object.getOwnPropertyDescriptor(d, key)?.get).toBeTypeOf("function");
    expect(Object.getOwnPropertyDescriptor(d, "e")?.get).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(d, "u")?.get).toBeUndefined();
    expect(d).toEqual(JSON.parse(text));
    // a raw tab inside a long string is invalid JSON, and stays an error
    const tab = `{"a": "${LONG}\t${LONG2}"}`;
    expect(errorOf(() => parseJsonBytes(enc(tab), "d.json")).toLine()).toBe(errorOf(() => parseTolerantJson(tab, "d.json")).toLine());
  });
});
