// `modelc diff`: the library's diff(), printed; exit 1 on a mismatch.

import type { Style } from "../../emitters/registry.ts";
import { diff } from "../diff.ts";
import type { LoadOptions } from "../loadModel.ts";
import { formatReport } from "../parity.ts";

export interface DiffCliOptions extends LoadOptions {
  input: string;
  expected: string;
  style: Style | "auto" | "all";
  tolerance?: number;
  show: number;
  json?: boolean;
}

export async function runDiff(model: string, opts: DiffCliOptions): Promise<number> {
  const { input, expected, json, ...rest } = opts;
  const r = await diff({ path: model }, { ...rest, rows: { path: input }, expected: { path: expected } });
  if (json) process.stdout.write(JSON.stringify(r.reports, (_k, v) => (v === Infinity ? "Infinity" : v), 2) + "\n");
  else for (const x of r.reports) process.stdout.write(formatReport(x.report, `diff ${model} (${x.style})`) + "\n");
  return r.ok ? 0 : 1;
}
