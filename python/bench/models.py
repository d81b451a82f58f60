#!/usr/bin/env python3
"""Train the benchmark models (bench/run.mjs), deterministically, single-threaded.

    PY=$(python/venv.sh bench)
    $PY python/bench/models.py --out .cache/bench --set quick|full [--only NAME,...]

Writes one folder per model under --out:
  model.json | model.txt   the file modelc compiles (XGBoost JSON, LightGBM text, modelc_export JSON)
  model.pkl                the fitted scikit-learn-API estimator, for the peers (m2cgen, ONNX, treelite)
  rows.csv                 the benchmark rows (held out; NaN as empty), header = feature names
  expected.json            {"output": [...], "width": k}: the library's output row by row,
                           predict_proba for classifiers, predict for regressors (flattened)
  meta.json                what the model is
A folder whose meta.json matches the requested spec and this script's hash is kept (models are made
once; editing this file retrains them).

Training sets are kept small (10 000 rows for the boosted models, 5 000 for the forest): the trees
still reach the requested shape (depth 8 / 63 leaves / depth 10), and a fresh clone's full benchmark
run stays within its time budget (training was 4 of its minutes with 30 000 / 13 334 rows).
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
COMMON = os.path.join(HERE, "..", "fixtures", "_common.py")
_h = __import__("hashlib").sha256()
for _p in (os.path.abspath(__file__), COMMON):  # the data generator and rows.csv writer live in _common
    with open(_p, "rb") as _f:
        _h.update(_f.read())
SCRIPT_HASH = _h.hexdigest()[:16]
sys.path.insert(0, os.path.join(HERE, ".."))  # modelc_export
sys.path.insert(0, os.path.join(HERE, "..", "fixtures"))
from _common import big_synth, write_csv  # noqa: E402


def split_rows(X, y, n_rows: int, n_train=None, seed: int = 0):
    """Hold out n_rows rows (or a third of a small data set; or all but n_train) as the benchmark rows."""
    r = np.random.default_rng(seed)
    idx = r.permutation(len(X))
    n_te = len(X) - n_train if n_train else min(n_rows, len(X) // 3)
    te, tr = idx[:n_te], idx[n_te:]
    return X[tr], y[tr], X[te]


def spec_list(which: str):
    quick = [
        {"name": "iris-xgb", "desc": "XGBoost classifier, 3 classes, 10 trees/class depth 3 (iris)", "data": "iris",
         "algo": "xgb-clf", "params": {"n_estimators": 10, "max_depth": 3}},
        {"name": "cancer-xgb", "desc": "XGBoost binary classifier, 100 trees depth 6 (breast_cancer, 30 features)",
         "data": "breast_cancer", "algo": "xgb-clf", "params": {"n_estimators": 100, "max_depth": 6}},
        {"name": "cancer-logreg", "desc": "scikit-learn LogisticRegression (breast_cancer standardized, 30 features)",
         "data": "breast_cancer-std", "algo": "sk-logreg", "params": {"max_iter": 1000}},
    ]
    full = [
        {"name": "big-xgb", "desc": "XGBoost regressor, 1000 trees depth 8, 50 features (synthetic, 3% NaN)",
         "data": "synth50", "algo": "xgb-reg", "params": {"n_estimators": 1000, "max_depth": 8}},
        {"name": "big-lgb", "desc": "LightGBM regressor, 500 trees 63 leaves, 50 features (synthetic, 3% NaN)",
         "data": "synth50", "algo": "lgb-reg", "params": {"n_estimators": 500, "num_leaves": 63}},
        {"name": "rf-sk", "desc": "scikit-learn RandomForestRegressor, 200 trees max_depth 10, 50 features (synthetic, 3% NaN)",
         "data": "synth50-small", "algo": "sk-rf", "params": {"n_estimators": 200, "max_depth": 10}},
    ]
    return quick if which == "quick" else quick + full


def load_data(name: str):
    from sklearn import datasets
    if name == "iris":
        d = datasets.load_iris()
        return d.data.astype(np.float64), d.target, [s.replace(" (cm)", "").replace(" ", "_") for s in d.feature_names], None
    if name == "breast_cancer":
        d = datasets.load_breast_cancer()
        return d.data.astype(np.float64), d.target, [f"f{i}" for i in range(d.data.shape[1])], None
    if name == "breast_cancer-std":
        X, y, names, _ = load_data("breast_cancer")
        return (X - X.mean(axis=0)) / X.std(axis=0), y, names, None
    if name == "synth50":
        X, y = big_synth(10000 + 10000, 50, 2024, "reg")  # the big models' data (xgboost_big.py)
        return X, y, [f"f{i}" for i in range(50)], 10000
    if name == "synth50-small":
        X, y = big_synth(5000 + 10000, 50, 2024, "reg")
        return X, y, [f"f{i}" for i in range(50)], 5000
    raise ValueError(name)


def fit(spec, Xtr, ytr):
    a, p = spec["algo"], spec["params"]
    if a.startswith("xgb"):
        import xgboost as xgb
        common = dict(tree_method="hist", learning_rate=0.1, n_jobs=1, random_state=0,
                      subsample=0.8, colsample_bytree=0.8,
                      base_score=0.5)  # explicit, so m2cgen (which reads it from the estimator) sees it
        cls = xgb.XGBClassifier if a == "xgb-clf" else xgb.XGBRegressor
        return cls(**common, **p).fit(Xtr, ytr)
    if a == "lgb-reg":
        import lightgbm as lgb
        return lgb.LGBMRegressor(learning_rate=0.05, n_jobs=1, random_state=0, deterministic=True,
                                 force_row_wise=True, subsample=0.8, subsample_freq=1,
                                 colsample_bytree=0.8, verbose=-1, **p).fit(Xtr, ytr)
    if a == "sk-logreg":
        from sklearn.linear_model import LogisticRegression
        return LogisticRegression(**p).fit(Xtr, ytr)
    if a == "sk-rf":
        from sklearn.ensemble import RandomForestRegressor
        return RandomForestRegressor(n_jobs=1, random_state=0, **p).fit(Xtr, ytr)
    raise ValueError(a)


def library_output(est, X):
    if hasattr(est, "predict_proba"):
        return np.asarray(est.predict_proba(X), dtype=np.float64)
    return np.asarray(est.predict(X), dtype=np.float64).reshape(len(X), -1)


def make(spec, out_root: str, n_rows: int, force: bool):
    out = os.path.join(out_root, spec["name"])
    meta_path = os.path.join(out, "meta.json")
    key = json.dumps({k: spec[k] for k in ("data", "algo", "params")}, sort_keys=True) + f"|rows={n_rows}|script={SCRIPT_HASH}"
    if not force and os.path.exists(meta_path):
        with open(meta_path, encoding="utf-8") as f:
            if json.load(f).get("key") == key:
                print(f"{spec['name']}: kept", file=sys.stderr)
                return
    os.makedirs(out, exist_ok=True)
    X, y, names, n_train = load_data(spec["data"])
    Xtr, ytr, Xte = split_rows(X, y, n_rows, n_train)
    t0 = time.perf_counter()
    est = fit(spec, Xtr, ytr)
    train_s = time.perf_counter() - t0
    a = spec["algo"]
    if a.startswith("xgb"):
        model_file = "model.json"
        est.get_booster().save_model(os.path.join(out, model_file))
    elif a.startswith("lgb"):
        model_file = "model.txt"
        est.booster_.save_model(os.path.join(out, model_file))
    else:
        from modelc_export import export
        model_file = "model.json"
        export(est, os.path.join(out, model_file))
    with open(os.path.join(out, "model.pkl"), "wb") as f:
        pickle.dump(est, f)
    write_csv(os.path.join(out, "rows.csv"), names, Xte)
    y_out = library_output(est, Xte)
    with open(os.path.join(out, "expected.json"), "w", encoding="utf-8") as f:
        json.dump({"output": y_out.ravel().tolist(), "width": int(y_out.shape[1]),
                   "method": "predict_proba" if hasattr(est, "predict_proba") else "predict"}, f)
    import sklearn
    lib = {"xgb": "xgboost", "lgb": "lightgbm", "sk-": "scikit-learn"}[a[:3]]
    mod = {"xgboost": "xgboost", "lightgbm": "lightgbm", "scikit-learn": "sklearn"}[lib]
    version = __import__(mod).__version__
    meta = {"name": spec["name"], "desc": spec["desc"], "library": lib, "version": version,
            "sklearn": sklearn.__version__, "algo": a, "params": spec["params"], "data": spec["data"],
            "features": int(X.shape[1]), "rows": int(len(Xte)), "train_rows": int(len(Xtr)),
            "classifier": bool(hasattr(est, "predict_proba")), "width": int(y_out.shape[1]),
            "model_file": model_file, "train_seconds": round(train_s, 2), "key": key,
            "model_bytes": os.path.getsize(os.path.join(out, model_file))}
    with open(meta_path, "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=1)
    print(f"{spec['name']}: trained in {train_s:.1f}s", file=sys.stderr)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=".cache/bench")
    ap.add_argument("--set", choices=["quick", "full"], default="quick")
    ap.add_argument("--only", default="")
    ap.add_argument("--rows", type=int, default=10000)
    ap.add_argument("--force", action="store_true")
    args = ap.parse_args(argv)
    only = set(filter(None, args.only.split(",")))
    specs = [s for s in spec_list(args.set) if not only or s["name"] in only]
    for s in specs:
        make(s, args.out, args.rows, args.force)
    print(json.dumps([s["name"] for s in specs]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
