// The CompileError a call throws; anything else it throws propagates, and not throwing fails the test.

import { CompileError } from "../../src/errors.ts";

export function compileErrorOf(fn: () => unknown): CompileError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CompileError) return e;
    throw e;
  }
  throw new Error("expected a CompileError");
}
