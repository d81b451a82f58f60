"""Reference outputs of the real library for some rows, every float written exactly.

    python -m modelc_export.reference MODEL --input rows.csv -o expected.json

MODEL is a pickle/joblib of a fitted scikit-learn estimator (or Pipeline), an XGBoost model
file (save_model .json/.ubj) or a LightGBM model file (save_model .txt). The output is
{"predict": [...], "predict_proba": [[...]], "raw": [...]} with one entry per row:
  predict        the estimator's predict (class labels as given, values for regressors)
  predict_proba  class probabilities, where the estimator has them
  raw            decision_function, else the private _raw_predict (gradient boosting regressors),
                 XGBoost output_margin, LightGBM raw_score
  score_samples, decision_function   outlier detectors (IsolationForest, OneClassSVM) instead of raw
rows.csv: a header of feature names, then one row per sample; an empty field or "nan" is missing.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from typing import Any

import numpy as np

from ._load import load_pickle, sniff


def read_rows(path: str) -> tuple[list[str], np.ndarray]:
    with open(path, encoding="utf-8", newline="") as f:
        rd = csv.reader(f)
        header = next(rd)
        rows = []
        for i, r in enumerate(rd, start=2):
            if not r:
                continue
            if len(r) != len(header):
                raise ValueError(f"{path}:{i}: expected {len(header)} fields, got {len(r)}")
            rows.append([math.nan if v.strip() == "" else float(v) for v in r])
    return header, np.array(rows, dtype=np.float64).reshape(len(rows), len(header))


def _plain(v: Any) -> Any:
    if isinstance(v, list) and v and isinstance(v[0], np.ndarray):
        # multi-output predict_proba: one array per output; per row, one list per output
        per = [_plain(a) for a in v]
        return [[p[r] for p in per] for r in range(len(per[0]))]
    a = np.asarray(v)
    if a.dtype.kind in "iub":
        return a.astype(np.int64).tolist()
    if a.dtype.kind == "f":
        return a.astype(np.float64).tolist()
    return [x if isinstance(x, str) else _plain(x) for x in a.tolist()] if a.ndim else a.item()


def sklearn_outputs(est: Any, X: np.ndarray, header: list[str]) -> dict:
    Xin: Any = X
    names = getattr(est, "feature_names_in_", None)
    if names is not None:
        try:
            import pandas as pd  # the estimator was fitted on a DataFrame: predict with one too
        except ImportError:  # pragma: no cover - numpy input works too (scikit-learn warns)
            pd = None
        if pd is not None:
            Xin = pd.DataFrame(X, columns=list(names))
    out: dict[str, Any] = {"predict": est.predict(Xin)}
    # outlier detectors: decision_function is not a raw margin (modelc's predictRaw of an
    # IsolationForest is the summed path length), so it is written under its own name
    from sklearn.base import is_outlier_detector

    outlier = is_outlier_detector(est)
    for key, method in (("predict_proba", "predict_proba"),
                        ("decision_function" if outlier else "raw", "decision_function"),
                        ("score_samples", "score_samples")):
        fn = _method(est, method)
        if fn is not None:
            out[key] = fn(Xin)
    if "raw" not in out:
        final, pre = est, None
        if type(est).__name__ == "Pipeline":
            final, pre = est.steps[-1][1], est[:-1]
        if hasattr(final, "_raw_predict"):
            Xt = pre.transform(Xin) if pre is not None else Xin
            if not hasattr(final, "_predictors"):  # GradientBoosting validates to float32 in its public API
                Xt = np.asarray(Xt, dtype=np.float32)
            raw = np.asarray(final._raw_predict(Xt))
            out["raw"] = raw.ravel() if raw.ndim == 2 and raw.shape[1] == 1 else raw
    return out


def _method(est: Any, name: str):
    try:
        fn = getattr(est, name)
    except AttributeError:
        return None
    return fn


def xgboost_outputs(path: str, X: np.ndarray) -> dict:
    import xgboost as xgb

    bst = xgb.Booster(model_file=path)
    bst.set_param({"nthread": 1})
    d = xgb.DMatrix(X, nthread=1)
    return {"predict": bst.predict(d), "raw": bst.predict(d, output_margin=True)}


def lightgbm_outputs(path: str, X: np.ndarray) -> dict:
    import lightgbm as lgb

    bst = lgb.Booster(model_file=path)
    return {"predict": bst.predict(X, num_threads=1), "raw": bst.predict(X, raw_score=True, num_threads=1)}


def outputs_for(model: str, X: np.ndarray, header: list[str]) -> dict:
    kind = sniff(model)
    if kind == "xgboost":
        return xgboost_outputs(model, X)
    if kind == "lightgbm":
        return lightgbm_outputs(model, X)
    if kind in ("json", "lightgbm-json"):
        raise ValueError("give the pickle (or the XGBoost/LightGBM model file), not an exported JSON: "
                         "reference outputs come from the library itself")
    return sklearn_outputs(load_pickle(model), X, header)


def write_expected(path: str, out: dict) -> None:
    parts = []
    order = ("predict", "predict_proba", "raw", "decision_function", "score_samples")
    for key in sorted(out, key=lambda k: order.index(k) if k in order else 9):
        rows = _plain(out[key])
        body = ",\n".join(json.dumps(r, allow_nan=True, ensure_ascii=False) for r in rows)
        parts.append(f"{json.dumps(key)}: [\n{body}\n]")
    with open(path, "w", encoding="utf-8") as f:
        f.write("{\n" + ",\n".join(parts) + "\n}\n")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m modelc_export.reference",
                                 description=__doc__.split("\n\n")[0])
    ap.add_argument("model")
    ap.add_argument("--input", required=True, help="rows.csv")
    ap.add_argument("-o", "--output", required=True, help="expected.json to write")
    args = ap.parse_args(argv)
    try:
        header, X = read_rows(args.input)
        out = outputs_for(args.model, X, header)
    except (OSError, ValueError, TypeError) as e:
        print(f"{args.model}: {e}", file=sys.stderr)
        return 2
    write_expected(args.output, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
