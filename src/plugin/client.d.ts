// modelc/client: TypeScript types of `?modelc` imports (`/// <reference types="modelc/client" />`, or
// "types": ["modelc/client"] in tsconfig.json). Every model gets the generic module API; the exact one of a given
// model (its labels, which functions exist) is what `modelc compile` writes into a .d.ts.

declare namespace ModelcClient {
  type Row = ArrayLike<number>;
  type Rows = Float64Array | Float32Array;
  /** The API of a compiled model (SPEC.md "Generated module"); optional functions exist when the model has them. */
  interface Model {
    readonly meta: {
      readonly name: string;
      readonly task: string;
      readonly nFeatures: number;
      readonly nOutputs: number;
      readonly featureNames?: readonly string[];
      readonly classes?: readonly (number | string)[];
      readonly [key: string]: unknown;
    };
    /** single-row vectors are plain arrays; batch results are Float64Arrays */
    predict(x: Row): number | string | number[];
    predictRaw(x: Row): number | number[];
    predictProba?(x: Row): number[];
    predictProbaInto?(x: Row, out: Float64Array, offset?: number): Float64Array;
    scoreSamples?(x: Row): number;
    predictBatch(rows: Rows, nRows: number): Float64Array;
    predictRawBatch(rows: Rows, nRows: number): Float64Array;
    predictProbaBatch?(rows: Rows, nRows: number): Float64Array;
    scoreSamplesBatch?(rows: Rows, nRows: number): Float64Array;
  }
}

// The module every `?modelc` import is: declared once, re-exported by one pattern per way an import can end
// (TypeScript allows one `*` per pattern): `?modelc`, then any order of options.
declare module "modelc/client/model" {
  const model: ModelcClient.Model;
  export default model;
  export const meta: ModelcClient.Model["meta"];
  export const predict: ModelcClient.Model["predict"];
  export const predictRaw: ModelcClient.Model["predictRaw"];
  export const predictProba: ModelcClient.Model["predictProba"];
  export const predictProbaInto: ModelcClient.Model["predictProbaInto"];
  export const scoreSamples: ModelcClient.Model["scoreSamples"];
  export const predictBatch: ModelcClient.Model["predictBatch"];
  export const predictRawBatch: ModelcClient.Model["predictRawBatch"];
  export const predictProbaBatch: ModelcClient.Model["predictProbaBatch"];
  export const scoreSamplesBatch: ModelcClient.Model["scoreSamplesBatch"];
}

declare module "*?modelc" {
  export { default } from "modelc/client/model";
  export * from "modelc/client/model";
}

declare module "*&target=js" {
  export { default } from "modelc/client/model";
  export * from "modelc/client/model";
}

declare module "*&target=wasm" {
  export { default } from "modelc/client/model";
  export * from "modelc/client/model";
}

declare module "*&style=ifelse" {
  export { default } from "modelc/client/model";
  export * from "modelc/client/model";
}

declare module "*&style=table" {
  export { default } from "modelc/client/model";
  export * from "modelc/client/model";
}

declare module "*&style=auto" {
  export { default } from "modelc/client/model";
  export * from "modelc/client/model";
}
