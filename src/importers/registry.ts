// The one list of input formats: detection, and the function from the parsed file to the IR.
// The CLI's --format choices, `inspect` and the README's support table come from here.

import type { ModelIR } from "../ir/types.ts";
import { importXgboost } from "./xgboost/importXgboost.ts";
import { isLightgbmDump, readLightgbmDump } from "./lightgbm/readDump.ts";
import { isLightgbmText, readLightgbmText } from "./lightgbm/readText.ts";
import { lightgbmToIr } from "./lightgbm/toIr.ts";
import { importSklearn, isSklearnDocument } from "./sklearn/importSklearn.ts";

export type { ImportOptions } from "./importOptions.ts";
import type { ImportOptions } from "./importOptions.ts";

/** A model file as read from disk, with its JSON/UBJSON document parsed lazily once. */
export interface ModelSource {
  file: string;
  bytes: Uint8Array;
  /** "json" | "ubjson" | "text" by content */
  container: "json" | "ubjson" | "text";
  document(): unknown;
  text(): string;
}

/** The importer options a format may honour; each importer lists those it reads. */
export type ImporterOption = "lenient" | "iterationRange" | "bestIteration" | "predictPath";

export interface Importer {
  name: string;
  description: string;
  /** the options this importer reads; giving it any other is a usage error */
  options: readonly ImporterOption[];
  /** does this importer recognise the (already parsed) file? */
  detect(src: ModelSource): boolean;
  load(src: ModelSource, opts: ImportOptions): ModelIR;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export const IMPORTERS: readonly Importer[] = [
  {
    name: "xgboost",
    description: "XGBoost save_model JSON / UBJSON (1.x, 2.x, 3.x): gbtree, dart, gblinear",
    options: ["lenient", "iterationRange", "bestIteration", "predictPath"],
    detect: (src) => {
      if (src.container === "text") return false;
      const d = src.document();
      return isObject(d) && isObject(d["learner"]) && Array.isArray(d["version"]);
    },
    load: (src, opts) => importXgboost(src.document(), opts),
  },
  {
    name: "lightgbm",
    description: "LightGBM save_model text and dump_model JSON: gbdt, dart, goss, rf; linear trees; categorical splits",
    options: ["iterationRange"],
    detect: (src) => (src.container === "text" ? isLightgbmText(src.text()) : isLightgbmDump(src.document())),
    load: (src, opts) =>
      lightgbmToIr(src.container === "text" ? readLightgbmText(src.text(), src.file) : readLightgbmDump(src.document(), src.file), opts),
  },
  {
    name: "sklearn",
    description: "scikit-learn through python/modelc_export (JSON): trees, forests, gradient boosting, hist gradient boosting, linear models",
    options: ["lenient"],
    detect: (src) => src.container === "json" && isSklearnDocument(src.document()),
    load: (src, opts) => importSklearn(src.document(), opts),
  },
];

export function importerByName(name: string): Importer | undefined {
  return IMPORTERS.find((i) => i.name === name);
}
