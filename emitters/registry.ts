// The one list of emitters: styles and targets. The CLI's --style/--target choices, the mapping from
// an output path to a target, and the test matrix come from here. A target lives in its own folder
// and adds one line to TARGETS.

import type { ModelIR } from "../src/ir/types.ts";
import { asTarget, wasmTarget } from "./as/targets.ts";
import type { Style, Target, TargetName } from "./target.ts";
import { jsTarget, tsTarget } from "./ts/targets.ts";

export { textOf, type OutputFile, type Style, type Target, type TargetContext, type TargetName } from "./target.ts";
export { emitJavaScript, emitJavaScriptPieces, emitTypeScript, tsToJs, type EmitOptions } from "./ts/emit.ts";

export const STYLES: readonly Style[] = ["ifelse", "table"];

export const TARGETS: readonly Target[] = [tsTarget, jsTarget, wasmTarget, asTarget];

/** Targets a bundle's chunks can be (`modelc bundle --target`). */
export const BUNDLE_TARGETS = TARGETS.filter((t) => t.bundles).map((t) => t.name);

/**
 * Models with more tree nodes than this get the table style under --style auto. From bench/style-sweep.mjs
 * (bench/README-style.md): up to here ifelse was 1.2-3x faster than table, single row and batch, in every shape
 * measured (JS; the wasm build of the 62 500-node LightGBM model alike); beyond about 150 000 nodes its code takes
 * seconds to warm up and is 1.6-3x larger.
 */
export const AUTO_IFELSE_MAX_NODES = 100_000;

export function totalNodes(ir: ModelIR): number {
  const m = ir.model;
  if (m.kind === "composite") return m.members.reduce((s, c) => s + totalNodes(c.ir), m.final ? totalNodes(m.final.ir) : 0);
  return m.kind === "trees" ? m.trees.reduce((s, t) => s + t.nNodes, 0) : 0;
}

export function chooseStyle(ir: ModelIR, requested: Style | "auto"): Style {
  if (requested !== "auto") return requested;
  return totalNodes(ir) <= AUTO_IFELSE_MAX_NODES ? "ifelse" : "table";
}

export function targetByName(name: TargetName): Target {
  const t = TARGETS.find((x) => x.name === name);
  if (!t) throw new Error(`internal: no target ${name}`);
  return t;
}

/** The target an output path selects by its extension, or undefined. */
export function targetForPath(path: string): Target | undefined {
  const base = path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1).toLowerCase();
  return TARGETS.find((t) => t.extensions.some((e) => base.endsWith(e) && base.length > e.length));
}
