// `modelc compile|diff|inspect model.pkl`: a pickle is exported by Python's modelc_export first (the one
// given with --python, else python3/python on PATH if it has modelc_export), or refused with the command.

import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { CompileError } from "../errors.ts";
import { isPickle, pickleHint } from "../io/pickle.ts";

function head(file: string): Uint8Array {
  const b = new Uint8Array(4);
  try {
    const fd = openSync(file, "r");
    try {
      readSync(fd, b, 0, 4, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    // unreadable: the importer reports it
  }
  return b;
}

function hasExporter(python: string): boolean {
  const r = spawnSync(python, ["-c", "import modelc_export"], { stdio: "ignore" });
  return r.status === 0;
}

/** The model file to compile: `model` itself, or (a pickle) the JSON modelc_export wrote for it. */
export function exportedModel(model: string, python?: string): string {
  if (!isPickle(head(model), model)) return model;
  const py = python ?? ["python3", "python"].find(hasExporter);
  if (!py) throw new CompileError("E_FORMAT", "a Python pickle, and no Python with modelc_export was found", { file: model }, pickleHint(model));
  const out = join(mkdtempSync(join(tmpdir(), "modelc-export-")), `${basename(model).replace(/\.[^.]*$/, "")}.json`);
  const r = spawnSync(py, ["-m", "modelc_export", model, "-o", out, "--sklearn-json"], { encoding: "utf8" });
  if (r.error || r.status !== 0) {
    const why = (r.stderr || r.error?.message || "").trim().split("\n").pop() ?? "";
    throw new CompileError("E_FORMAT", `modelc_export (${py}) could not export it: ${why}`, { file: model }, pickleHint(model));
  }
  return out;
}
