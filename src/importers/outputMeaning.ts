// OutputMeaning: what a model's outputs mean (task, transform, decision, probabilities), as each importer maps it from the library's objective or estimator.

import type { ModelIR } from "../ir/types.ts";

/**
 * The IR fields an importer derives from the library's objective (XGBoost, LightGBM) or estimator class
 * (scikit-learn): the task, the transform from raw scores to outputs (and its parameter), how predict decides
 * and what predict_proba returns. Each importer keeps its own table from library names to these.
 */
export type OutputMeaning = Pick<ModelIR, "task" | "transform" | "transformArg" | "decision" | "proba">;
