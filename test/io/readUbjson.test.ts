import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { CompileError } from "../../src/errors.ts";
import { parseUbjson } from "../../src/io/readUbjson.ts";
import { bytesOf, Char, Counted, encodeUbjson, F32, HighPrecision, Int, Noop, Typed, type EncValue, type IntMarker } from "./ubjsonEncode.ts";

function catchError(f: () => unknown): CompileError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CompileError);
    return e as CompileError;
  }
  throw new Error("expected a CompileError, nothing was thrown");
}

/** int64 big-endian bytes */
function be64(v: bigint): number[] {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigInt64(0, v, false);
  return [...b];
}
function be32(v: number): number[] {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, v, false);
  return [...b];
}

// ---------------------------------------------------------------------------
// Arbitraries of (encoding, expected decoded value)

interface Pair {
  enc: EncValue;
  exp: unknown;
}

const pair = (enc: EncValue, exp: unknown = enc): Pair => ({ enc, exp });

const text = fc.string({ unit: "grapheme", maxLength: 12 });
const key = fc.oneof(text, fc.constantFrom("__proto__", "constructor", "", "split_conditions", "NaN"));
const int64Safe = fc.bigInt({ min: -(2n ** 53n), max: 2n ** 53n - 1n });

const intOf: Record<IntMarker, fc.Arbitrary<number | bigint>> = {
  i: fc.integer({ min: -128, max: 127 }),
  U: fc.integer({ min: 0, max: 255 }),
  I: fc.integer({ min: -32768, max: 32767 }),
  l: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  L: int64Safe,
};

const hpText = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => JSON.stringify(x)),
  fc.constantFrom("0", "-0", "1e400", "123456789012345678901234567890", "0.1", "-2.5E-3"),
);

const scalar: fc.Arbitrary<Pair> = fc.oneof(
  fc.constantFrom(pair(null), pair(true), pair(false)),
  fc.double().map((x) => pair(x)),
  fc.integer().map((x) => pair(x)),
  ...(Object.keys(intOf) as IntMarker[]).map((m) => intOf[m].map((v) => pair(new Int(m, v), Number(v)))),
  fc.float().map((x) => pair(new F32(x), x)),
  fc.integer({ min: 0, max: 127 }).map((c) => pair(new Char(String.fromCharCode(c)), String.fromCharCode(c))),
  hpText.map((t) => pair(new HighPrecision(t), Number(t))),
  text.map((s) => pair(s)),
);

const countMarker = fc.constantFrom<IntMarker>("i", "U", "I", "l", "L");

/** typed element arbitraries: type marker -> (encoded element, expected) */
const typedScalar: [string, fc.Arbitrary<Pair>][] = [
  ["d", fc.float().map((x) => pair(x))],
  ["D", fc.double().map((x) => pair(x))],
  ["i", intOf.i.map((x) => pair(Number(x)))],
  ["U", intOf.U.map((x) => pair(Number(x)))],
  ["I", intOf.I.map((x) => pair(Number(x)))],
  ["l", intOf.l.map((x) => pair(Number(x)))],
  ["L", int64Safe.map((x) => pair(new Int("L", x), Number(x)))],
  ["Z", fc.constant(pair(null))],
  ["T", fc.constant(pair(true))],
  ["F", fc.constant(pair(false))],
  ["C", fc.integer({ min: 0, max: 127 }).map((c) => pair(String.fromCharCode(c)))],
  ["S", text.map((s) => pair(s))],
  ["H", hpText.map((t) => pair(new HighPrecision(t), Number(t)))],
];

function fitsCount(m: IntMarker, n: number): boolean {
  return m === "i" ? n <= 127 : m === "U" ? n <= 255 : true;
}

const { value: valueArb } = fc.letrec<{ value: Pair; container: Pair; arrayish: Pair; objectish: Pair }>((tie) => ({
  value: fc.oneof({ depthSize: "small", withCrossShrink: true }, scalar, tie("container")),
  container: fc.oneof(tie("arrayish"), tie("objectish")),
  arrayish: fc.oneof(
    // plain array, some elements behind no-op markers
    fc.array(fc.tuple(tie("value"), fc.nat(2)), { maxLength: 5 }).map((xs) =>
      pair(
        xs.map(([p, noops]) => (noops > 0 ? new Noop(p.enc, noops) : p.enc)),
        xs.map(([p]) => p.exp),
      ),
    ),
    // counted, untyped
    fc.tuple(fc.array(tie("value"), { maxLength: 5 }), countMarker).map(([xs, m]) =>
      pair(
        new Counted(
          xs.map((p) => p.enc),
          m,
        ),
        xs.map((p) => p.exp),
      ),
    ),
    // strongly typed scalars
    fc.oneof(
      ...typedScalar.map(([t, arb]) =>
        fc.tuple(fc.array(arb, { maxLength: 20 }), countMarker).map(([xs, m]) =>
          pair(
            new Typed(
              t,
              xs.map((p) => p.enc),
              fitsCount(m, xs.length) ? m : "L",
            ),
            xs.map((p) => p.exp),
          ),
        ),
      ),
    ),
    // typed array of arrays / of objects (elements without their marker)
    fc.array(tie("arrayish"), { maxLength: 3 }).map((xs) =>
      pair(
        new Typed(
          "[",
          xs.map((p) => p.enc),
        ),
        xs.map((p) => p.exp),
      ),
    ),
    fc.array(tie("objectish"), { maxLength: 3 }).map((xs) =>
      pair(
        new Typed(
          "{",
          xs.map((p) => p.enc),
        ),
        xs.map((p) => p.exp),
      ),
    ),
  ),
  objectish: fc.oneof(
    fc
      .uniqueArray(fc.tuple(key, tie("value"), fc.nat(1)), { maxLength: 5, selector: (e) => e[0] })
      .map((es) => pair(Object.fromEntries(es.map(([k, p, noop]) => [k, noop ? new Noop(p.enc) : p.enc])), Object.fromEntries(es.map(([k, p]) => [k, p.exp])))),
    fc
      .uniqueArray(fc.tuple(key, tie("value")), { maxLength: 5, selector: (e) => e[0] })
      .map((es) => pair(new Counted(Object.fromEntries(es.map(([k, p]) => [k, p.enc]))), Object.fromEntries(es.map(([k, p]) => [k, p.exp])))),
    fc
      .uniqueArray(fc.tuple(key, fc.float()), { maxLength: 5, selector: (e) => e[0] })
      .map((es) => pair(new Typed("d", Object.fromEntries(es)), Object.fromEntries(es))),
  ),
}));

/** Deep equality that also checks prototypes are plain and -0/NaN exactly (toEqual does -0 vs 0). */
function expectSame(actual: unknown, expected: unknown): void {
  expect(actual).toEqual(expected);
  if (actual !== null && typeof actual === "object") {
    expect(Object.getPrototypeOf(actual)).toBe(Array.isArray(actual) ? Array.prototype : Object.prototype);
  }
}

describe("parseUbjson: scalars and containers", () => {
  it("decodes every scalar marker", () => {
    expect(parseUbjson(bytesOf("Z"))).toBe(null);
    expect(parseUbjson(bytesOf("T"))).toBe(true);
    expect(parseUbjson(bytesOf("F"))).toBe(false);
    expect(parseUbjson(bytesOf("i", 0xff))).toBe(-1);
    expect(parseUbjson(bytesOf("U", 0xff))).toBe(255);
    expect(parseUbjson(bytesOf("I", 0x80, 0x00))).toBe(-32768);
    expect(parseUbjson(bytesOf("l", be32(-123456789)))).toBe(-123456789);
    expect(parseUbjson(bytesOf("L", be64(2n ** 53n - 1n)))).toBe(2 ** 53 - 1);
    expect(parseUbjson(bytesOf("L", be64(-(2n ** 53n))))).toBe(-(2 ** 53));
    expect(parseUbjson(bytesOf("L", be64(-1n)))).toBe(-1);
    expect(parseUbjson(bytesOf("d", 0x3d, 0xcc, 0xcc, 0xcd))).toBe(Math.fround(0.1));
    expect(parseUbjson(bytesOf("d", 0x7f, 0xc0, 0, 0))).toBeNaN();
    expect(Object.is(parseUbjson(bytesOf("d", 0x80, 0, 0, 0)), -0)).toBe(true);
    expect(parseUbjson(bytesOf("d", 0, 0, 0, 1))).toBe(2 ** -149); // float32 subnormal
    expect(parseUbjson(bytesOf("D", 0x3f, 0xb9, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a))).toBe(0.1);
    expect(parseUbjson(bytesOf("C", "x"))).toBe("x");
    expect(parseUbjson(bytesOf("S", "i", 3, "abc"))).toBe("abc");
    expect(parseUbjson(bytesOf("H", "i", 5, "1.5e3"))).toBe(1500);
    expect(parseUbjson(bytesOf("N", "N", "Z", "N"))).toBe(null);
  });

  it("decodes UTF-8 strings", () => {
    for (const s of ["", "é", "日本語", "😀 emoji", "a\u0000b", "\uFEFFbom"]) {
      expect(parseUbjson(encodeUbjson(s))).toBe(s);
    }
  });

  it("decodes the container forms XGBoost writes", () => {
    // {L<len>key [$d#L<n> float32...} with a 64-bit count, as XGBoost does
    const bytes = bytesOf("{", "L", be64(4n), "vals", "[", "$", "d", "#", "L", be64(2n), 0x3f, 0x80, 0, 0, 0xc0, 0, 0, 0, "}");
    expect(parseUbjson(bytes)).toEqual({ vals: [1, -2] });
    expect(parseUbjson(bytesOf("[", "$", "l", "#", "i", 2, be32(-1), be32(7)))).toEqual([-1, 7]);
    expect(parseUbjson(bytesOf("[", "$", "U", "#", "i", 3, 0, 1, 255))).toEqual([0, 1, 255]);
    expect(parseUbjson(bytesOf("[", "$", "L", "#", "i", 1, be64(-5n)))).toEqual([-5]);
    expect(parseUbjson(bytesOf("[", "#", "i", 2, "Z", "T"))).toEqual([null, true]);
    expect(parseUbjson(bytesOf("[", "]"))).toEqual([]);
    expect(parseUbjson(bytesOf("{", "}"))).toEqual({});
    expect(parseUbjson(bytesOf("[", "$", "d", "#", "i", 0))).toEqual([]);
    expect(parseUbjson(bytesOf("[", "N", "i", 1, "N", "]"))).toEqual([1]);
    expect(parseUbjson(bytesOf("{", "$", "i", "#", "i", 2, "i", 1, "a", 5, "i", 1, "b", 6))).toEqual({ a: 5, b: 6 });
    expect(parseUbjson(bytesOf("[", "$", "[", "#", "i", 2, "i", 1, "]", "$", "T", "#", "i", 2))).toEqual([[1], [true, true]]);
  });

  it("keeps __proto__ as an own property and lets the last duplicate key win", () => {
    const v = parseUbjson(bytesOf("{", "i", 9, "__proto__", "{", "i", 1, "x", "T", "}", "i", 1, "a", "i", 1, "i", 1, "a", "i", 2, "}"));
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v as object)).toEqual(["__proto__", "a"]);
    expect((v as Record<string, unknown>).a).toBe(2);
  });

  it("round-trips random values, typed containers included (property)", () => {
    fc.assert(
      fc.property(valueArb, ({ enc, exp }) => {
        expectSame(parseUbjson(encodeUbjson(enc)), exp);
      }),
      { numRuns: 1000 },
    );
  });

  it("decodes float32 arrays exactly (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.float(), { maxLength: 200 }), (xs) => {
        const out = parseUbjson(encodeUbjson(new Typed("d", xs))) as number[];
        expect(out.length).toBe(xs.length);
        for (let i = 0; i < xs.length; i++) expect(Object.is(out[i], xs[i])).toBe(true);
      }),
    );
  });
});

describe("parseUbjson: malformed input", () => {
  it("reports E_PARSE for every truncation of a valid document (property)", () => {
    fc.assert(
      fc.property(valueArb, fc.nat(), ({ enc }, cut) => {
        const bytes = encodeUbjson(enc);
        const k = cut % bytes.length; // a proper prefix (possibly empty)
        const e = catchError(() => parseUbjson(bytes.subarray(0, k), "m.ubj"));
        expect(e.code).toBe("E_PARSE");
        expect(e.location.file).toBe("m.ubj");
        expect(e.location.path).toMatch(/^\$/);
        expect(e.message).toMatch(/byte offset \d+/);
      }),
      { numRuns: 1000 },
    );
  });

  it("never throws anything but a CompileError on corrupted bytes (property)", () => {
    fc.assert(
      fc.property(valueArb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), ({ enc }, edits) => {
        const bytes = encodeUbjson(enc).slice();
        for (const [at, b] of edits) bytes[at % bytes.length] = b;
        try {
          parseUbjson(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(CompileError);
          expect(["E_PARSE", "E_LIMIT", "E_UNSUPPORTED"]).toContain((e as CompileError).code);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("puts the JSON path of the container being read in `path`", () => {
    const tree = (i: number): EncValue => ({
      id: i,
      left_children: new Typed("l", [1, -1, -1]),
      split_conditions: new Typed("d", [0.5, 1, 2]),
    });
    const model: EncValue = { learner: { gradient_booster: { model: { trees: [0, 1, 2, 3, 4].map(tree) } } } };
    const bytes = encodeUbjson(model);
    // cut in the middle of the float32 data of trees[3].split_conditions
    const marker = new TextEncoder().encode("split_conditions");
    let at = -1;
    for (let found = 0, i = 0; i < bytes.length && found < 4; i++) {
      if (marker.every((b, k) => bytes[i + k] === b)) {
        found++;
        at = i;
      }
    }
    const cut = at + marker.length + 1 + 2 + 9 + 6; // key, '[$d#L<8 bytes>' + 6 data bytes
    const e = catchError(() => parseUbjson(bytes.subarray(0, cut), "model.ubj"));
    expect(e.code).toBe("E_PARSE");
    expect(e.location).toEqual({ file: "model.ubj", path: "$.learner.gradient_booster.model.trees[3].split_conditions" });
    expect(e.message).toMatch(/byte offset \d+/);

    // a bad marker inside trees[2], while reading the value of left_children
    const lc = new TextEncoder().encode("left_children");
    let at2 = -1;
    for (let found = 0, i = 0; i < bytes.length && found < 3; i++) {
      if (lc.every((b, k) => bytes[i + k] === b)) {
        found++;
        at2 = i;
      }
    }
    const bad = bytes.slice();
    bad[at2 + lc.length] = "?".charCodeAt(0);
    const e2 = catchError(() => parseUbjson(bad));
    expect(e2.location.path).toBe("$.learner.gradient_booster.model.trees[2].left_children");
    expect(e2.message).toContain(`byte offset ${at2 + lc.length}`);
    expect(e2.message).toMatch(/unexpected marker '\?'/);
  });

  it("rejects bad markers, bad lengths, bad UTF-8 and trailing bytes with E_PARSE", () => {
    const cases: [Uint8Array, RegExp, string][] = [
      [bytesOf(), /empty input/, "$"],
      [bytesOf("x"), /unexpected marker 'x' \(0x78\) at byte offset 0/, "$"],
      [bytesOf("[", "i", 1, "?", "]"), /unexpected marker '\?'.* at byte offset 3/, "$[1]"],
      [bytesOf("[", "i", 1), /unterminated array/, "$[1]"],
      [bytesOf("{", "i", 1, "a"), /truncated/, "$.a"],
      [bytesOf("{", "i", 1, "a", "}"), /unexpected end marker/, "$.a"],
      [bytesOf("{", "S", 1, "a", "T", "}"), /integer marker/, "$"],
      [bytesOf("[", "}"), /unexpected end marker/, "$[0]"],
      [bytesOf("S", "i", 0xff), /negative string length/, "$"],
      [bytesOf("S", "d", 0, 0, 0, 0), /integer marker/, "$"],
      [bytesOf("S", "i", 5, "ab"), /length 5 exceeds the 2 bytes left/, "$"],
      [bytesOf("S", "i", 2, 0xc3, 0x28), /invalid UTF-8/, "$"],
      [bytesOf("S", "i", 3, 0xed, 0xa0, 0x80), /invalid UTF-8/, "$"], // encoded surrogate
      [bytesOf("[", "S", "i", 1, 0xff, "]"), /invalid UTF-8/, "$[0]"],
      [bytesOf("{", "i", 1, 0xff, "T", "}"), /invalid UTF-8/, "$"],
      [bytesOf("C", 0xe9), /not ASCII/, "$"],
      [bytesOf("H", "i", 5, "1.2.3"), /not a valid number/, "$"],
      [bytesOf("H", "i", 3, "abc"), /not a valid number/, "$"],
      [bytesOf("H", "i", 3, "0x1"), /not a valid number/, "$"],
      [bytesOf("Z", "Z"), /1 trailing bytes/, "$"],
      [bytesOf("[", "$", "d", "i", 1), /must be followed by a '#'/, "$"],
      [bytesOf("[", "$", "N", "#", "i", 1), /invalid element type/, "$"],
      [bytesOf("[", "$", "]", "#", "i", 1), /invalid element type/, "$"],
      [bytesOf("[", "#", "i", 0xff), /negative container count/, "$"],
      [bytesOf("[", "#", "i", 3, "T", "T"), /container count 3 exceeds what the 2 bytes left/, "$"],
      [bytesOf("[", "#", "i", 2, "S", "i", 1), /string length 1 exceeds the 0 bytes left/, "$[0]"],
      [bytesOf("[", "#", "i", 2, "T", "i"), /truncated/, "$[1]"],
      [bytesOf("[", "#", "i", 2, "T", "]"), /unexpected end marker/, "$[1]"],
      [bytesOf("[", "$", "d", "#", "i", 2, 0, 0, 0, 0, 0, 0), /container count 2 exceeds/, "$"],
      [bytesOf("i"), /truncated input: int8 needs 1 bytes, only 0 left at byte offset 1/, "$"],
      [bytesOf("D", 1, 2, 3), /truncated/, "$"],
    ];
    for (const [bytes, msg, path] of cases) {
      const e = catchError(() => parseUbjson(bytes, "x.ubj"));
      expect(e.code, String(msg)).toBe("E_PARSE");
      expect(e.message, String(msg)).toMatch(msg);
      expect(e.location, String(msg)).toEqual({ file: "x.ubj", path });
    }
  });

  it("refuses int64 values outside ±2^53 (E_UNSUPPORTED)", () => {
    for (const v of [2n ** 53n, -(2n ** 53n) - 1n, 2n ** 63n - 1n, -(2n ** 63n)]) {
      const e = catchError(() => parseUbjson(bytesOf("L", be64(v))));
      expect(e.code).toBe("E_UNSUPPORTED");
      expect(e.message).toContain(String(v));
    }
    const e = catchError(() => parseUbjson(bytesOf("{", "i", 1, "a", "[", "$", "L", "#", "i", 2, be64(1n), be64(2n ** 60n), "}")));
    expect(e.code).toBe("E_UNSUPPORTED");
    expect(e.location.path).toBe("$.a");
    expect(e.message).toMatch(/element 1/);
  });

  it("fails fast on hostile counts and lengths", () => {
    const t0 = performance.now();
    const huge = be64(2n ** 52n);
    for (const b of [
      bytesOf("[", "$", "d", "#", "L", huge),
      bytesOf("[", "#", "L", huge, "Z"),
      bytesOf("{", "#", "L", huge),
      bytesOf("{", "$", "Z", "#", "L", huge),
      bytesOf("S", "L", huge, "abc"),
      bytesOf("H", "l", be32(2 ** 31 - 1)),
      bytesOf("[", "$", "S", "#", "l", be32(1000), "i", 0),
      bytesOf("[", "$", "[", "#", "l", be32(1000), "]"),
    ]) {
      expect(catchError(() => parseUbjson(b)).code).toBe("E_PARSE");
    }
    // zero-size elements take no bytes: limited by a budget instead
    expect(catchError(() => parseUbjson(bytesOf("[", "$", "Z", "#", "L", huge))).code).toBe("E_LIMIT");
    const nested = bytesOf(
      "[",
      "$",
      "[",
      "#",
      "i",
      100,
      ...Array(100)
        .fill(["$", "T", "#", "l", be32(1_000_000)])
        .flat(2),
    );
    expect(catchError(() => parseUbjson(nested)).code).toBe("E_LIMIT");
    expect(parseUbjson(bytesOf("[", "$", "Z", "#", "i", 3))).toEqual([null, null, null]);
    expect(catchError(() => parseUbjson(bytesOf("[", "$", "Z", "#", "i", 3), undefined, { maxZeroSizeElements: 2 })).code).toBe("E_LIMIT");
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it("handles deep nesting without recursion (E_LIMIT past maxDepth)", () => {
    const open = new Uint8Array(1_000_000).fill("[".charCodeAt(0));
    expect(catchError(() => parseUbjson(open)).code).toBe("E_LIMIT");
    const deep = new Uint8Array(200_000);
    deep.fill("[".charCodeAt(0), 0, 100_000);
    deep.fill("]".charCodeAt(0), 100_000);
    const e = catchError(() => parseUbjson(deep));
    expect(e.code).toBe("E_LIMIT");
    expect(e.message).toContain("byte offset 10000");
    let v = parseUbjson(deep, undefined, { maxDepth: Infinity });
    let d = 0;
    while (Array.isArray(v)) {
      d++;
      v = v[0];
    }
    expect(d).toBe(100_000);
    expect(catchError(() => parseUbjson(open, undefined, { maxDepth: Infinity })).code).toBe("E_PARSE");
  });
});
