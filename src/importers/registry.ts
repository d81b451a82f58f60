// The one list of input formats: detection, and the function from the parsed file to the IR.
// The CLI's --format choices, `inspect` and the README's support table come from here.

import type { ModelIR } from "../ir/types.ts";
import { FORMATS, type Format } from "./formats.ts";
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

export type { ImporterOption } from "./formats.ts";

/** A format (name, description, options: formats.ts) and the functions that read it. */
export interface Importer extends Format {
  /** does this importer recognise the (already parsed) file? */
  detect(src: ModelSource): boolean;
  load(src: ModelSource, opts: ImportOptions): ModelIR;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export const IMPORTERS: readonly Importer[] = [
  {
    ...FORMATS.xgboost,
    detect: (src) => {
      if (src.container === "text") return false;
      const d = src.document();
      return isObject(d) && isObject(d["learner"]) && Array.isArray(d["version"]);
    },
    load: (src, opts) => importXgboost(src.document(), opts),
  },
  {
    ...FORMATS.lightgbm,
    detect: (src) => (src.container === "text" ? isLightgbmText(src.text()) : isLightgbmDump(src.document())),
    load: (src, opts) => lightgbmToIr(src.container === "text" ? readLightgbmText(src.text(), src.file) : readLightgbmDump(src.document(), src.file), opts),
  },
  {
    ...FORMATS.sklearn,
    detect: (src) => src.container === "json" && isSklearnDocument(src.document()),
    load: (src, opts) => importSklearn(src.document(), opts),
  },
];

export function importerByName(name: string): Importer | undefined {
  return IMPORTERS.find((i) => i.name === name);
}
