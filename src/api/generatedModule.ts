// The API of any generated module as one interface: a model's ApiShape says which optional functions it exports
// and narrows what each returns (src/api/apiTypes.ts prints that exact type).

import type { ApiFunction } from "./apiShape.ts";

type Row = ArrayLike<number>;
type Rows = Float64Array | Float32Array;

/**
 * docs/SPEC.md "Generated module", for every model: predict returns whatever ApiShape.predict can say (a number, a
 * class label, a number[]), predictRaw a number or a number[] (ApiShape.raw); single-row vectors are plain arrays,
 * batch results Float64Arrays; the optional functions exist
 * when they are in ApiShape.functions (predictProba* when ApiShape.proba > 0, scoreSamples* for outlier detectors).
 */
export interface GeneratedModule {
  /** src/api/meta.ts (metaOf): the fields every model's meta has */
  meta: { name: string; task: string; nFeatures: number; nOutputs: number; classes?: readonly (number | string)[] };
  predict(x: Row): number | string | number[];
  predictRaw(x: Row): number | number[];
  predictProba?(x: Row): number[];
  predictProbaInto?(x: Row, out: Float64Array, offset?: number): Float64Array;
  /** outlier detectors (meta.outputs has "scoreSamples"): the library's score_samples */
  scoreSamples?(x: Row): number;
  predictBatch(rows: Rows, nRows: number): Float64Array;
  predictRawBatch(rows: Rows, nRows: number): Float64Array;
  predictProbaBatch?(rows: Rows, nRows: number): Float64Array;
  scoreSamplesBatch?(rows: Rows, nRows: number): Float64Array;
}

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
/** Compile-time check: GeneratedModule has exactly the functions of ApiFunction. */
export type FunctionsAgree = Assert<Same<Exclude<keyof GeneratedModule, "meta">, ApiFunction>>;
