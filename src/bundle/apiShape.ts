// What a generated module's functions return, as recorded in the manifest and typed in index.d.ts.
// Mirrors emitters/ts/module.ts (writeModule); test/bundle checks every fixture's chunk against it.

import { probaWidth, type ModelIR } from "../ir/types.ts";

export interface ApiShape {
  /** predict(x): a number, a vector (multi-output regression), or one of meta.classes */
  predict: "number" | "Float64Array" | "label";
  /** predictRaw(x) */
  raw: "number" | "Float64Array";
  /** number of class probabilities predictProba returns; 0 when the model has no predictProba */
  proba: number;
}

export function apiShape(ir: ModelIR): ApiShape {
  const d = ir.decision;
  const predict = d.kind === "value" ? (ir.nOutputs > 1 ? "Float64Array" : "number") : ir.classes ? "label" : "number";
  const proba = probaWidth(ir);
  return { predict, raw: ir.nOutputs > 1 ? "Float64Array" : "number", proba };
}
