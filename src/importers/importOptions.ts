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
  /**
   * Most bytes one model may take once read: the file, plus what its compressed arrays (modelc_export
   * binary arrays) decode to. Default: 32 × the file's size, at least 256 MiB and at most 4 GiB
   * (defaultMaxModelBytes); a zip bomb fails at the array that crosses it, before it is inflated.
   */
  maxModelBytes?: number;
  /** most training values (samples × features) a scikit-learn neighbors model may store (default 5 000 000) */
  maxNeighborsTable?: number;
  /** the model file's size in bytes (set by loadModel; the default maxModelBytes follows it) */
  sourceBytes?: number;
}

export const MIN_DEFAULT_MODEL_BYTES = 256 * 2 ** 20;
export const MAX_DEFAULT_MODEL_BYTES = 4 * 2 ** 30;
/** Decoded bytes per file byte allowed by default (zlib reaches ~1000; real exports stay far below 32). */
export const MODEL_BYTES_PER_FILE_BYTE = 32;

/** The limit of maxModelBytes when it is not given: 32 × the file's size, within [256 MiB, 4 GiB]. */
export function defaultMaxModelBytes(sourceBytes = 0): number {
  return Math.min(MAX_DEFAULT_MODEL_BYTES, Math.max(MIN_DEFAULT_MODEL_BYTES, MODEL_BYTES_PER_FILE_BYTE * sourceBytes));
}
