// The IR as readable JSON (for --dump-ir and debugging): typed arrays become plain arrays.

import type { ModelIR } from "./types.ts";

export function dumpIr(ir: ModelIR): string {
  return JSON.stringify(
    ir,
    (_k, v) => {
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
      if (typeof v === "number" && !Number.isFinite(v)) return String(v);
      return v;
    },
    1,
  );
}
