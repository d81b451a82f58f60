// The LightGBM model as both of its file forms describe it (text `save_model`, JSON `dump_model`),
// before any meaning is given to it: the two readers produce this, one mapping turns it into the IR.

import type { ErrorLocation } from "../../errors.ts";

export interface LgbTree {
  numLeaves: number;
  splitFeature: number[];
  threshold: number[];
  decisionType: number[];
  leftChild: number[];
  rightChild: number[];
  leafValue: number[];
  catBoundaries: number[];
  catThreshold: number[];
  /** linear_tree leaves, by leaf index */
  linear?: { constant: number[]; features: number[][]; coeffs: number[][] };
  /** where a field of this tree is in the file, for errors */
  where(field: string, index?: number): ErrorLocation;
}

export interface LgbModel {
  format: "lightgbm-text" | "lightgbm-json";
  version: string;
  numClass: number;
  numTreePerIteration: number;
  maxFeatureIdx: number;
  objective: string;
  averageOutput: boolean;
  featureNames: string[];
  pandasCategorical?: unknown;
  trees: LgbTree[];
  where(field: string): ErrorLocation;
}

/** LightGBM's own limit on num_leaves (config.h: num_leaves <= 131072). */
export const LGB_MAX_LEAVES = 131072;

/** decision_type bits (include/LightGBM/tree.h): categorical, default left, missing type. */
export const LGB_CATEGORICAL_MASK = 1;
export const LGB_DEFAULT_LEFT_MASK = 2;
export function lgbMissingType(decisionType: number): 0 | 1 | 2 | 3 {
  return ((decisionType >> 2) & 3) as 0 | 1 | 2 | 3;
}
