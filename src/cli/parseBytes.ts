// Byte-count option values (--max-model-bytes).

import { CompileError } from "../errors.ts";

/** A byte count: a whole number with an optional K/M/G/T suffix (binary: 1G = 2^30), e.g. 512M, 4G. */
export function parseBytes(s: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(s);
  const n = m ? Math.round(Number(m[1]) * 1024 ** " kmgt".indexOf((m[2] || " ").toLowerCase())) : Number.NaN;
  if (!(Number.isSafeInteger(n) && n > 0))
    throw new CompileError("E_USAGE", `--max-model-bytes expects a size such as 4G, 512M or 1000000, got ${JSON.stringify(s)}`);
  return n;
}
