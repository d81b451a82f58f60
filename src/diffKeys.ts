// The keys of an expected-outputs file (modelc diff), and which module function each is compared with.

/** The expected-file keys and what each is compared with, for `modelc diff --help` and errors. */
export const EXPECTED_KEYS: readonly [string, string][] = [
  ["predict", "predict(x): the class label or value, as the library's predict"],
  ["predict_proba", "predictProba(x): class probabilities, as predict_proba"],
  ["raw", "predictRaw(x): the raw score (XGBoost output_margin, LightGBM raw_score, scikit-learn decision_function)"],
  ["decision_function", "predictRaw(x), under scikit-learn's name"],
  ["score_samples", "scoreSamples(x): outlier detectors' score_samples"],
];
