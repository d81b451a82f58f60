// Options every importer understands (the CLI passes them through unchanged).

export interface ImportOptions {
  file?: string;
  name?: string;
  /** accept unknown fields */
  lenient?: boolean;
  /** use trees of iterations [begin, end) only (XGBoost iteration_range, LightGBM num_iteration) */
  iterationRange?: [number, number];
  /** use the model's best_iteration attribute, as XGBoost's scikit-learn wrapper does */
  bestIteration?: boolean;
  /**
   * Which XGBoost prediction path to reproduce where they differ: "dmatrix" (Booster.predict, the
   * default) or "inplace" (inplace_predict, used by the scikit-learn wrapper's predict). They differ
   * only for DART before 3.0, where inplace sums f32(f32(f32(base + leaf) - base) · w) per tree.
   */
  predictPath?: "dmatrix" | "inplace";
}
