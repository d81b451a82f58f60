// SkHeader: the ModelIR header fields every scikit-learn estimator importer receives from importSklearn.

import type { ModelIR } from "../../ir/types.ts";

/** Header of the IR (name, feature names, source) set once from the modelc_export envelope. */
export type SkHeader = {
  irVersion: 1;
  name: string;
  featureNames?: string[];
  source: ModelIR["source"];
};
