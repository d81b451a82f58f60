// Declarations of a generated module from its ApiShape and meta: a bundle's index.d.ts types each model
// with them, and `modelc compile` writes them beside a .js/.mjs module and a wasm loader.

import { generatedBanner } from "../../emitters/banner.ts";
import { typeLit, unionLit } from "../bundle/typeLit.ts";
import { hasFunction, type ApiFunction, type ApiShape } from "./apiShape.ts";
import { declarationOf } from "./apiTypes.ts";

/** The order functions are declared in (index.d.ts and declaration files alike). */
const DTS_ORDER: readonly ApiFunction[] = [
  "predict",
  "predictRaw",
  "scoreSamples",
  "predictProba",
  "predictProbaInto",
  "predictBatch",
  "predictRawBatch",
  "predictProbaBatch",
  "scoreSamplesBatch",
];

export interface DeclaredModel {
  meta: unknown;
  api: ApiShape;
  classes?: readonly (number | string)[] | null;
}

/** `meta` and the functions as interface members (`readonly meta: {…}`, `predict(x: …): 0 | 1`), class labels as the union of the classes. */
export function memberDeclarations(m: DeclaredModel): string[] {
  const label = unionLit(m.classes ?? []);
  return [`readonly meta: ${typeLit(m.meta)};`, ...DTS_ORDER.filter((f) => hasFunction(m.api, f)).map((f) => `${declarationOf(m.api, f, label)};`)];
}

/** A declaration file for one generated module (or a wasm loader, which adds `instantiate`). */
export function moduleDeclarations(m: DeclaredModel, opts: { wasmLoader?: boolean; style: string }): string {
  const label = unionLit(m.classes ?? []);
  const fns = DTS_ORDER.filter((f) => hasFunction(m.api, f));
  const lines = [
    generatedBanner({ what: opts.wasmLoader ? "declarations of the WebAssembly loader" : "declarations", style: opts.style }),
    `export declare const meta: ${typeLit(m.meta)};`,
    ...fns.map((f) => `export declare function ${declarationOf(m.api, f, label)};`),
  ];
  if (opts.wasmLoader) {
    lines.push(
      "/** The model's API, from this loader's functions. */",
      "export interface Model {",
      ...memberDeclarations(m).map((l) => `  ${l}`),
      "}",
      "/** Instantiates the model from a URL or path (default: the .wasm beside the loader), bytes, or a compiled module. */",
      "export declare function instantiate(source?: URL | string | ArrayBuffer | ArrayBufferView | WebAssembly.Module): Promise<Model>;",
    );
  }
  return lines.join("\n") + "\n";
}
