"""Reference outputs of the real library for some rows, every float written exactly.

    modelc-reference MODEL --input rows.csv -o expected.json   (python -m modelc_export.reference ...)

MODEL is a pickle/joblib of a fitted estimator (scikit-learn, a Pipeline, an XGBoost/LightGBM
scikit-learn wrapper, or a Pipeline ending in one), an XGBoost model file (save_model .json/.ubj)
or a LightGBM text model (save_model). The output has one entry per row under each key:
  predict        the estimator's predict: class labels as given, values for regressors; for model
                 files what the library's scikit-learn wrapper predicts (XGBClassifier/LGBMClassifier:
                 class indices 0..K-1, or the labels of --classes)
  predict_proba  class probabilities, where the estimator (or the wrapper) has them
  raw            decision_function, else the private _raw_predict (gradient boosting regressors),
                 XGBoost output_margin, LightGBM raw_score
  output         model files only: Booster.predict (what the fixtures record; modelc diff skips it)
  score_samples, decision_function   outlier detectors (IsolationForest, OneClassSVM) instead of raw
rows.csv: a header of feature names, then one row per sample; an empty field or "nan" is missing.
rows.json (rows with strings, python/fixtures/README.md): columns, pandas dtypes and rows, read as a
DataFrame with those dtypes.
Check a compiled model against it with: modelc diff MODEL --input rows.csv --expected expected.json
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
from typing import Any

import numpy as np

from . import _boosters
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


def rows_frame(doc: dict) -> Any:
    """The pandas DataFrame of a rows.json document (python/fixtures/README.md "Rows with strings"):
    each column built with its recorded dtype; null is None (pandas turns it into its missing value
    for non-object dtypes), NaN/Infinity tokens are floats."""
    import pandas as pd

    cols, dtypes, rows = doc["columns"], doc["dtypes"], doc["rows"]
    if len(cols) != len(dtypes):
        raise ValueError(f"rows.json: {len(cols)} columns but {len(dtypes)} dtypes")
    for i, r in enumerate(rows):
        if len(r) != len(cols):
            raise ValueError(f"rows.json: rows[{i}] has {len(r)} values, expected {len(cols)}")
    data = {}
    for j, (c, dt) in enumerate(zip(cols, dtypes)):
        vals = [r[j] for r in rows]
        if dt == "category":
            # the training categories (categories[c]), then any other value of the rows in order
            cats = list(doc.get("categories", {}).get(c) or [])
            for v in vals:
                if v is not None and not (isinstance(v, float) and math.isnan(v)) and v not in cats:
                    cats.append(v)
            s = pd.Series(pd.Categorical(vals, categories=cats))
        elif dt == "object":
            s = pd.Series(vals, dtype=object)
        else:
            s = pd.Series(vals, dtype=dt)
        data[c] = s
    return pd.DataFrame(data, columns=cols)


def read_rows_json(path: str) -> Any:
    with open(path, encoding="utf-8") as f:
        return rows_frame(json.load(f))


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
    if names is not None and not hasattr(X, "columns"):  # a DataFrame (rows.json) is given as it is
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
        lib = _boosters.library(final)
        if lib is not None:
            # XGBoost output_margin / LightGBM raw_score, through the wrapper (its trees)
            Xt = pre.transform(Xin) if pre is not None else Xin
            out["raw"] = final.predict(Xt, **({"output_margin": True} if lib == "xgboost" else {"raw_score": True}))
        elif hasattr(final, "_raw_predict"):
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


def xgboost_outputs(path: str, X: np.ndarray, best_iteration: bool = False, classes=None) -> dict:
    """An XGBoost model file (save_model JSON/UBJSON), as the library and its scikit-learn wrapper give it.

    raw/output: Booster.predict on a DMatrix carrying the model's feature names and types (what the
    fixtures record); predict/predict_proba: the wrapper the model was saved from (its
    "scikit_learn" attribute; else the objective decides: binary:/multi: -> XGBClassifier, rank: ->
    XGBRanker, others XGBRegressor), loaded from the file, on the plain rows. Every output uses
    the same trees: all of them (Booster.predict, modelc's default), or with `best_iteration`
    iterations 0..best_iteration as the wrapper does by itself (modelc --best-iteration).
    """
    import xgboost as xgb

    bst = xgb.Booster(model_file=path)
    bst.set_param({"nthread": 1})
    kw: dict[str, Any] = {}
    if bst.feature_names is not None:
        kw["feature_names"] = list(bst.feature_names)
    if bst.feature_types is not None:
        kw["feature_types"] = list(bst.feature_types)
        kw["enable_categorical"] = True
    d = xgb.DMatrix(X, nthread=1, **kw)
    best = bst.attr("best_iteration")
    rounds = bst.num_boosted_rounds()
    if best_iteration and best is not None:
        rng = (0, int(best) + 1)
    else:
        rng = (0, 0)  # all trees
        if best is not None and int(best) + 1 < rounds:
            print(f"note: the model has best_iteration={best}: its scikit-learn wrapper predicts with "
                  f"{int(best) + 1} of {rounds} iterations; these outputs use all of them "
                  f"(give --best-iteration here and to modelc for the wrapper's)", file=sys.stderr)
    out: dict[str, Any] = {"raw": bst.predict(d, output_margin=True, iteration_range=rng),
                           "output": bst.predict(d, iteration_range=rng)}
    kind = _xgb_kind(bst)
    cls = {"classifier": xgb.XGBClassifier, "ranker": xgb.XGBRanker}.get(kind, xgb.XGBRegressor)
    w = cls()
    w.load_model(path)
    # an explicit range: (0, 0) would make the wrapper fall back to best_iteration
    wrng = rng if rng != (0, 0) else (0, rounds)
    out["predict"] = w.predict(X, iteration_range=wrng)
    if kind == "classifier":
        out["predict_proba"] = w.predict_proba(X, iteration_range=wrng)
        out["predict"] = _relabel(out["predict"], classes)
    return out


def _xgb_kind(bst: Any) -> str:
    meta = bst.attr("scikit_learn")
    if meta:
        try:
            t = json.loads(meta).get("_estimator_type")
        except ValueError:
            t = None
        if t in ("classifier", "regressor", "ranker"):
            return t
    objective = json.loads(bst.save_config())["learner"]["objective"]["name"]
    if objective.startswith(("binary:", "multi:")):
        return "classifier"
    return "ranker" if objective.startswith("rank:") else "regressor"


LGB_CLASSIFIER_OBJECTIVES = ("binary", "multiclass", "softmax", "multiclassova", "multiclass_ova", "ova", "ovr")


def lightgbm_outputs(path: str, X: np.ndarray, classes=None) -> dict:
    """A LightGBM text model: raw (raw_score), output (Booster.predict) and, as LGBMClassifier gives
    them for a classification objective, predict_proba ([1 - p, p] for binary) and predict
    (argmax of predict_proba; labels 0..K-1, or `classes`); else predict = output."""
    import lightgbm as lgb

    bst = lgb.Booster(model_file=path)
    out: dict[str, Any] = {"raw": bst.predict(X, raw_score=True, num_threads=1),
                           "output": bst.predict(X, num_threads=1)}
    objective = _lgb_objective(path)
    if objective in LGB_CLASSIFIER_OBJECTIVES:
        res = np.asarray(out["output"])
        proba = res if res.ndim == 2 else np.vstack((1.0 - res, res)).transpose()
        out["predict_proba"] = proba
        out["predict"] = _relabel(np.argmax(proba, axis=1), classes)
    else:
        out["predict"] = out["output"]
    return out


def _lgb_objective(path: str) -> str:
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("objective="):
                return line[len("objective="):].split()[0] if line[len("objective="):].strip() else ""
            if line.startswith("Tree="):
                break
    return ""


def _relabel(index: Any, classes) -> Any:
    """Class indices 0..K-1 as the labels `classes` (modelc's --classes), when given."""
    if classes is None:
        return index
    idx = np.asarray(index).astype(np.int64)
    if idx.size and (idx.min() < 0 or idx.max() >= len(classes)):
        raise ValueError(f"--classes gives {len(classes)} labels, the model predicts class {int(idx.max())}")
    return [classes[i] for i in idx.tolist()]


def parse_classes(s: str) -> list:
    """--classes a,b,c as modelc reads it: numbers when every label is one, else strings."""
    parts = [p.strip() for p in s.split(",")]
    if any(p == "" for p in parts):
        raise argparse.ArgumentTypeError(f"expected a comma-separated list, got {s!r}")
    if all(re.fullmatch(r"-?\d+(\.\d+)?", p) for p in parts):
        return [int(p) if re.fullmatch(r"-?\d+", p) else float(p) for p in parts]
    return parts


def outputs_for(model: str, X: np.ndarray, header: list[str], best_iteration: bool = False,
                classes=None) -> dict:
    kind = sniff(model)
    if kind == "xgboost":
        return xgboost_outputs(model, X, best_iteration, classes)
    if kind == "lightgbm":
        return lightgbm_outputs(model, X, classes)
    if kind == "lightgbm-json":
        raise ValueError("LightGBM cannot load its dump_model JSON: give the text model (save_model)")
    if kind == "json":
        raise ValueError("give the pickle (or the XGBoost/LightGBM model file), not an exported JSON: "
                         "reference outputs come from the library itself")
    if best_iteration or classes is not None:
        raise ValueError("--best-iteration and --classes apply to XGBoost/LightGBM model files; a pickled "
                         "estimator predicts as it is")
    return sklearn_outputs(load_pickle(model), X, header)


def write_expected(path: str, out: dict) -> None:
    parts = []
    order = ("predict", "predict_proba", "raw", "output", "decision_function", "score_samples")
    for key in sorted(out, key=lambda k: order.index(k) if k in order else 9):
        rows = _plain(out[key])
        body = ",\n".join(json.dumps(r, allow_nan=True, ensure_ascii=False) for r in rows)
        parts.append(f"{json.dumps(key)}: [\n{body}\n]")
    with open(path, "w", encoding="utf-8") as f:
        f.write("{\n" + ",\n".join(parts) + "\n}\n")


def main(argv=None) -> int:
    from .__main__ import prog_name, version_text

    ap = argparse.ArgumentParser(prog=prog_name("modelc-reference", "modelc_export.reference"),
                                 description=__doc__.split("\n\n")[0],
                                 epilog="Compare with: modelc diff MODEL --input rows.csv --expected expected.json")
    ap.add_argument("model", help="a pickle/joblib of a fitted estimator, or an XGBoost/LightGBM model file")
    ap.add_argument("--input", required=True, help="rows.csv, or rows.json (rows with strings)")
    ap.add_argument("-o", "--output", required=True, help="expected.json to write")
    ap.add_argument("--best-iteration", action="store_true",
                    help="XGBoost model file: use iterations 0..best_iteration, as the scikit-learn wrapper does "
                         "(modelc --best-iteration)")
    ap.add_argument("--classes", type=parse_classes, metavar="LABELS",
                    help="XGBoost/LightGBM model file: class labels, comma-separated, for predict (modelc --classes)")
    ap.add_argument("--version", action="version", version=version_text())
    args = ap.parse_args(argv)
    try:
        if args.input.endswith(".json"):
            X, header = read_rows_json(args.input), None
        else:
            header, X = read_rows(args.input)
        out = outputs_for(args.model, X, header, args.best_iteration, args.classes)
    except ImportError as e:
        print(f"{args.model}: {e} (install modelc-export[xgboost] / modelc-export[lightgbm])", file=sys.stderr)
        return 2
    except (OSError, ValueError, TypeError) as e:
        print(f"{args.model}: {e}", file=sys.stderr)
        return 2
    write_expected(args.output, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
