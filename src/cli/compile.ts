// `modelc compile`: the compile pipeline, then its files written atomically (or the IR printed).

import { dumpLowered } from "../../emitters/lower/dumpLowered.ts";
import { chooseStyle, TARGETS, type Style, type TargetName } from "../../emitters/registry.ts";
import { compile, importModel } from "../compile.ts";
import { dumpIr } from "../ir/dump.ts";
import { moduleFormatAt } from "../io/moduleFormat.ts";
import { writeAtomic } from "../io/writeAtomic.ts";
import type { LoadOptions } from "../loadModel.ts";

export interface CompileCliOptions extends LoadOptions {
  out: string;
  style: Style | "auto";
  dumpIr?: boolean;
  dumpLowered?: boolean;
  /** default: from the output extension */
  target?: TargetName;
}

/** Targets only chosen by name (--target), not by an output extension. */
export const NAMED_TARGETS = TARGETS.filter((t) => t.extensions.length === 0).map((t) => t.name);

export async function runCompile(model: string, opts: CompileCliOptions): Promise<number> {
  if (opts.dumpIr || opts.dumpLowered) {
    const ir = importModel({ path: model }, opts);
    process.stdout.write((opts.dumpIr ? dumpIr(ir) : dumpLowered(ir, chooseStyle(ir, opts.style))) + "\n");
    return 0;
  }
  // a .js file in a CommonJS package is written as CommonJS (a wasm loader as .mjs), so it loads there
  const moduleFormat = /\.(js|wasm)$/i.test(opts.out) ? moduleFormatAt(opts.out).format : undefined;
  const r = await compile({ path: model }, { ...opts, moduleFormat });
  for (const f of r.files) writeAtomic(f.path, f.contents, [model]);
  return 0;
}
