// Shared zod pieces for model-file schemas: fast numeric arrays with exact error paths, and the
// conversion of a zod failure into one CompileError naming the JSON path.

import { z } from "zod";
import { CompileError, jsonPath } from "../errors.ts";

function arrayOf(what: string, ok: (v: unknown) => boolean) {
  return z.any().superRefine((v, ctx) => {
    if (!Array.isArray(v)) {
      ctx.addIssue({ code: "custom", message: `expected an array of ${what}, got ${describe(v)}` });
      return;
    }
    for (let i = 0; i < v.length; i++) {
      if (!ok(v[i])) {
        ctx.addIssue({ code: "custom", message: `expected ${what}, got ${describe(v[i])}`, path: [i] });
        return;
      }
    }
  }) as unknown as z.ZodType<number[]>;
}

/** Array of numbers (NaN and ±Infinity allowed: tolerant readers produce them). */
export const numberArray = () => arrayOf("numbers", (x) => typeof x === "number");
/** Array of integers. */
export const intArray = () => arrayOf("integers", (x) => typeof x === "number" && Number.isInteger(x));
/** Array of 0/1 integers or booleans (XGBoost ≤ 1.5 writes booleans). */
export const flagArray = () => arrayOf("0/1 or booleans", (x) => x === 0 || x === 1 || x === true || x === false) as unknown as z.ZodType<(number | boolean)[]>;

/** A number written as a string, as XGBoost writes its parameters ("5E-1", "10"). */
export const numericString = () => z.string().refine((s) => s.trim() !== "" && !Number.isNaN(Number(s)), { message: "expected a number in a string" });

export function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return `string ${JSON.stringify(v.length > 30 ? v.slice(0, 30) + "…" : v)}`;
  if (typeof v === "object") return "an object";
  return `${typeof v} ${String(v)}`;
}

/** Parse with a schema or throw one CompileError with the JSON path of the first problem. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, file: string | undefined, prefix: (string | number)[] = []): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const path = jsonPath([...prefix, ...(issue.path as (string | number)[])]);
  let message = issue.message;
  if (issue.code === "unrecognized_keys") {
    message = `unknown field ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}`;
    return fail("E_SCHEMA", message, file, path, "pass --lenient to ignore unknown fields");
  }
  if (issue.code === "invalid_type") {
    message = `expected ${issue.expected}, got ${issue.input === undefined ? "nothing (missing field)" : describe(issue.input)}`;
  }
  return fail("E_SCHEMA", message, file, path);
}

function fail(code: "E_SCHEMA", message: string, file: string | undefined, path: string, hint?: string): never {
  throw new CompileError(code, message, { file, path }, hint);
}
