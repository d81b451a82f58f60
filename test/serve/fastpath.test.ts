// The predict fast path (fastPredictInput) against the zod path (parsePredictBody + toMatrix) on
// random and mutated bodies: whenever the fast path accepts a body, the zod path accepts it too and
// gives the same matrix and output; so "fast path, else zod path" answers every body, good or bad,
// exactly like the zod path alone (same rows, same 4xx and message). Valid array-row bodies must
// take the fast path (else the server would silently lose it).

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HttpError, fastPredictInput, parsePredictBody, predictionsJson, toMatrix, type PredictInput } from "../../src/serve/predict.ts";
import type { LoadedVersion } from "../../src/serve/registry.ts";

const NF = 3;
const model = (features: string[] | null) => ({ name: "m", version: "1", entry: { nFeatures: NF, features } }) as unknown as LoadedVersion;
const withNames = model(["a", "b", "c"]);
const withoutNames = model(null);

type Outcome = { ok: true; input: PredictInput } | { ok: false; status: number; message: string };

function zodPath(json: unknown, m: LoadedVersion): Outcome {
  try {
    return { ok: true, input: toMatrix(m, parsePredictBody(json)) };
  } catch (e) {
    if (!(e instanceof HttpError)) throw e;
    return { ok: false, status: e.status, message: e.message };
  }
}

function served(json: unknown, m: LoadedVersion): Outcome {
  const fast = fastPredictInput(json, NF);
  return fast ? { ok: true, input: fast } : zodPath(json, m);
}

const same = (a: Outcome, b: Outcome) => {
  if (a.ok && b.ok) {
    expect(a.input.n).toBe(b.input.n);
    expect(a.input.output).toBe(b.input.output);
    // Object.is per value: NaN (null) and -0 included
    expect(Array.from(a.input.X)).toEqual(Array.from(b.input.X));
    expect(a.input.X.length).toBe(a.input.n * NF);
  } else expect(a).toEqual(b);
};

// values as JSON text, so that 1e999 (Infinity after JSON.parse) and -0 occur
const valueText = fc.oneof(
  { weight: 6, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => (Object.is(v, -0) ? "-0" : String(v))) },
  { weight: 2, arbitrary: fc.constant("null") },
  { weight: 1, arbitrary: fc.constantFrom("1e999", "-1e999", "-0", "0.0", "1E2", "5e-324") },
  { weight: 1, arbitrary: fc.constantFrom('"1"', "true", "false", "[1]", "{}", '{"a":1}', "[]", '""') },
);
const rowText = fc.oneof(
  { weight: 8, arbitrary: fc.array(valueText, { minLength: NF, maxLength: NF }).map((v) => `[${v.join(",")}]`) },
  { weight: 1, arbitrary: fc.array(valueText, { maxLength: NF + 2 }).map((v) => `[${v.join(",")}]`) },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.tuple(fc.constantFrom("a", "b", "c", "d", "__proto__", "0"), valueText), { maxLength: 4 })
      .map((kv) => `{${kv.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`),
  },
  { weight: 1, arbitrary: fc.constantFrom("null", "1", '"x"', "true") },
);
const instancesText = fc.oneof(
  { weight: 8, arbitrary: fc.array(rowText, { minLength: 1, maxLength: 4 }).map((r) => `[${r.join(",")}]`) },
  { weight: 1, arbitrary: fc.constantFrom("[]", "null", "{}", '"[[1,2,3]]"', "1", "[[[1,2,3]]]") },
);
const extra = fc.oneof(
  fc.constant(""),
  fc.constantFrom('"output":"predict"', '"output":"proba"', '"output":"raw"', '"output":"PREDICT"', '"output":null', '"output":1'),
  fc.constantFrom('"signature_name":"serving_default"', '"signature_name":1', '"signature_name":null', '"other":[1,"x"]', '"__proto__":{"output":"raw"}'),
  fc.constantFrom('"instances":[[1,2,3]]', '"instances":[]'), // a duplicate key: the last one counts
);
const bodyText = fc.oneof(
  {
    weight: 9,
    arbitrary: fc
      .tuple(instancesText, extra, extra, fc.boolean())
      .map(([i, e1, e2, first]) => `{${[first ? `"instances":${i}` : "", e1, e2, first ? "" : `"instances":${i}`].filter(Boolean).join(",")}}`),
  },
  { weight: 1, arbitrary: fc.oneof(fc.json(), instancesText, rowText) },
);

describe("serve: the predict fast path answers every body like the zod path", () => {
  it("random and mutated bodies, rows with and without feature names", () => {
    fc.assert(
      fc.property(bodyText, (text) => {
        const json: unknown = JSON.parse(text);
        for (const m of [withNames, withoutNames]) same(served(json, m), zodPath(json, m));
      }),
      { numRuns: 3000 },
    );
  });

  it("takes every valid body of array rows (any count, null, -0, outputs, signature_name)", () => {
    const finite = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(null));
    const body = fc.record(
      {
        instances: fc.array(fc.array(finite, { minLength: NF, maxLength: NF }), { minLength: 1, maxLength: 5 }),
        output: fc.constantFrom("predict", "proba", "raw"),
        signature_name: fc.string(),
      },
      { requiredKeys: ["instances"] },
    );
    fc.assert(
      fc.property(body, (b) => {
        const json: unknown = JSON.parse(JSON.stringify(b));
        const fast = fastPredictInput(json, NF);
        expect(fast).toBeDefined();
        same({ ok: true, input: fast! }, zodPath(json, withoutNames));
      }),
      { numRuns: 1000 },
    );
  });

  it("leaves to zod what zod refuses: infinite values, a wrong output, object rows", () => {
    for (const text of [
      '{"instances":[[1,1e999,2]]}',
      '{"instances":[[1,2,3]],"output":"PREDICT"}',
      '{"instances":[[1,2,3]],"signature_name":7}',
      '{"instances":[{"a":1}]}',
      '{"instances":[[1,2]]}',
    ])
      expect(fastPredictInput(JSON.parse(text), NF), text).toBeUndefined();
    expect(zodPath(JSON.parse('{"instances":[[1,1e999,2]]}'), withNames)).toMatchObject({ ok: false, status: 400, message: /instances\.0\.1/ });
  });
});

describe("serve: the answer's JSON text", () => {
  it("is JSON.stringify of the predictions: numbers, NaN and ±Infinity as null, -0 as 0, labels", () => {
    const value = fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 1e21, 5e-324));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.array(value, { minLength: 12, maxLength: 12 }), (n, width, vals) => {
        const out = Float64Array.from(vals.slice(0, n * width));
        const rows = Array.from({ length: n }, (_, i) => Array.from(out.subarray(i * width, (i + 1) * width)));
        const expected = JSON.stringify({ predictions: width === 1 ? rows.map((r) => r[0]) : rows });
        expect(predictionsJson(out, n, width)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
    expect(predictionsJson(Float64Array.of(1, 0, 1), 3, 1, ["no", "yes"])).toBe('{"predictions":["yes","no","yes"]}');
  });
});
