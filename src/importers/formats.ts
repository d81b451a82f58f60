// The input formats by name, with what each reads and the options it honours: the light half of the
// importer registry (the CLI's --format choices and help come from here without loading importers).

/** The importer options a format may honour; each format lists those it reads. */
export type ImporterOption = "lenient" | "iterationRange" | "bestIteration" | "predictPath" | "maxModelBytes" | "maxNeighborsTable";

export interface Format {
  name: string;
  description: string;
  /** the options this format's importer reads; giving it any other is a usage error */
  options: readonly ImporterOption[];
}

export const FORMATS = {
  xgboost: {
    name: "xgboost",
    description: "XGBoost save_model JSON / UBJSON (1.x, 2.x, 3.x): gbtree, dart, gblinear",
    options: ["lenient", "iterationRange", "bestIteration", "predictPath", "maxModelBytes"],
  },
  lightgbm: {
    name: "lightgbm",
    description: "LightGBM save_model text and dump_model JSON: gbdt, dart, goss, rf; linear trees; categorical splits",
    options: ["iterationRange", "maxModelBytes"],
  },
  sklearn: {
    name: "sklearn",
    description: "scikit-learn through python/modelc_export (JSON): trees, forests, gradient boosting, hist gradient boosting, linear models",
    options: ["lenient", "maxModelBytes", "maxNeighborsTable"],
  },
} as const satisfies Record<string, Format>;

export const FORMAT_NAMES: readonly string[] = Object.keys(FORMATS);
