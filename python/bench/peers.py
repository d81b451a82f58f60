#!/usr/bin/env python3
"""The Python side of bench/run.mjs: the library's own speed, and the peers' code generation.

    $PY python/bench/peers.py library  DIR [--tile 10000]     -> JSON timings on stdout
    $PY python/bench/peers.py m2cgen   DIR OUT.mjs           -> JSON {"seconds"} (JavaScript ES module)
    $PY python/bench/peers.py onnx     DIR OUT.onnx          -> JSON {"seconds", "converter", "output"}
    $PY python/bench/peers.py treelite DIR OUT.so [--tile N] -> JSON {"seconds", timings, outputs}
    $PY python/bench/peers.py visits   DIR [--tile N]        -> JSON node visits per row (tree models)
    $LL python/bench/peers.py lleaves-compile DIR OUT.so      -> JSON {"seconds"} (LightGBM model.txt)
    $LL python/bench/peers.py lleaves  DIR OUT.so [--tile N] -> JSON {timings, outputs}
    $PY python/bench/peers.py window   DIR [--tile N]        -> the library kept alive for interleaved batch timing
    $LL python/bench/peers.py window   DIR OUT.so [--tile N] -> the same for lleaves (OUT.so from lleaves-compile)
        protocol of bench/peers/window.mjs: prints "ready {...}", then on stdin "w MS" -> rows/s over >= MS ms; "q"

$LL is the python of the separate venv bench-lleaves (python/requirements/bench-lleaves.txt: lleaves pins
llvmlite 0.44.0); the lleaves commands read only model.txt, rows.csv and meta.json (no pickle, no lightgbm).

DIR is a model folder made by models.py. Everything runs on one thread. On failure the command
prints the exception's last line on stderr and exits 3, and bench/run.mjs records it as a result.
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import statistics
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np  # noqa: E402


def load_rows(d):
    with open(os.path.join(d, "meta.json"), encoding="utf-8") as f:
        meta = json.load(f)
    with open(os.path.join(d, "rows.csv"), encoding="utf-8") as f:
        next(f)
        X = np.array([[float(v) if v else np.nan for v in line.rstrip("\n").split(",")] for line in f])
    return meta, X


def load(d):
    with open(os.path.join(d, "model.pkl"), "rb") as f:
        est = pickle.load(f)
    with open(os.path.join(d, "meta.json"), encoding="utf-8") as f:
        meta = json.load(f)
    with open(os.path.join(d, "rows.csv"), encoding="utf-8") as f:
        next(f)
        X = np.array([[float(v) if v else np.nan for v in line.rstrip("\n").split(",")] for line in f])
    return est, meta, X


def tile(X, n):
    reps = -(-n // len(X))
    return np.ascontiguousarray(np.tile(X, (reps, 1))[:n])


def pct(xs, q):
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, int(round(q / 100 * (len(s) - 1)))))]


def time_fn(single, batch, X, n_tile, budget_s=4.0):
    """single(row 1xF) and batch(block) timed: per-row latency median/p99, batch rows/s at 100 and n_tile."""
    T = tile(X, n_tile)
    rows1 = [np.ascontiguousarray(T[i][None, :]) for i in range(min(2000, n_tile))]
    for r in rows1[:100]:
        single(r)
    lat = []
    t_end = time.perf_counter() + budget_s
    for r in rows1:
        s = time.perf_counter_ns()
        single(r)
        lat.append((time.perf_counter_ns() - s) / 1000)
        if time.perf_counter() > t_end and len(lat) >= 100:
            break
    thr = {}
    for n in (100, n_tile):
        block = np.ascontiguousarray(T[:n])
        batch(block)
        runs = []
        for _ in range(5):
            reps, s = 0, time.perf_counter()
            while True:
                batch(block)
                reps += 1
                if time.perf_counter() - s > 0.05:
                    break
            runs.append(n * reps / (time.perf_counter() - s))
            if time.perf_counter() > t_end + 10 and len(runs) >= 3:
                break
        thr[str(n)] = round(statistics.median(runs))
    return {"singleMedianUs": round(statistics.median(lat), 2), "singleP99Us": round(pct(lat, 99), 2),
            "singleCount": len(lat), "batchRowsPerSec": thr}


def cmd_library(a):
    est, meta, X = load(a.dir)
    if hasattr(est, "set_params"):
        for k in ("n_jobs", "nthread"):
            if k in est.get_params():
                est.set_params(**{k: 1})
    f = est.predict_proba if meta["classifier"] else est.predict
    r = time_fn(f, f, X, a.tile)
    r["method"] = f"{type(est).__name__}.{'predict_proba' if meta['classifier'] else 'predict'} (numpy float64, 1 thread)"
    return r


def cmd_m2cgen(a):
    import m2cgen
    est, meta, X = load(a.dir)
    t = time.perf_counter()
    code = m2cgen.export_to_javascript(est)
    secs = time.perf_counter() - t
    with open(a.out, "w", encoding="utf-8") as f:
        f.write(code)
        f.write("\nexport { score };\n")
    return {"seconds": round(secs, 4), "version": m2cgen.__version__ if hasattr(m2cgen, "__version__") else "0.10.0"}


def cmd_onnx(a):
    est, meta, X = load(a.dir)
    F = X.shape[1]
    t = time.perf_counter()
    if meta["library"] == "xgboost":
        import onnxmltools
        from onnxmltools.convert.common.data_types import FloatTensorType
        onx = onnxmltools.convert_xgboost(est, initial_types=[("input", FloatTensorType([None, F]))])
        conv = f"onnxmltools {onnxmltools.__version__}"
    elif meta["library"] == "lightgbm":
        import onnxmltools
        from onnxmltools.convert.common.data_types import FloatTensorType
        onx = onnxmltools.convert_lightgbm(est, initial_types=[("input", FloatTensorType([None, F]))], zipmap=False)
        conv = f"onnxmltools {onnxmltools.__version__}"
    else:
        import skl2onnx
        from skl2onnx.common.data_types import FloatTensorType
        opts = {id(est): {"zipmap": False}} if meta["classifier"] else None
        onx = skl2onnx.convert_sklearn(est, initial_types=[("input", FloatTensorType([None, F]))], options=opts)
        conv = f"skl2onnx {skl2onnx.__version__}"
    secs = time.perf_counter() - t
    with open(a.out, "wb") as f:
        f.write(onx.SerializeToString())
    outs = [o.name for o in onx.graph.output]
    # classifiers: (label, probabilities); regressors: one output
    out = outs[1] if meta["classifier"] and len(outs) > 1 else outs[0]
    return {"seconds": round(secs, 4), "converter": conv, "output": out, "outputs": outs}


def cmd_treelite(a):
    import tl2cgen
    import treelite
    est, meta, X = load(a.dir)
    t = time.perf_counter()
    if meta["library"] == "xgboost":
        tm = treelite.frontend.from_xgboost(est.get_booster())
    elif meta["library"] == "lightgbm":
        tm = treelite.frontend.from_lightgbm(est.booster_)
    elif meta["algo"] == "sk-rf":
        tm = treelite.sklearn.import_model(est)
    else:
        raise NotImplementedError(f"treelite compiles tree ensembles only, not {type(est).__name__}")
    t_import = time.perf_counter() - t
    # many small translation units: gcc is much slower on one huge function than on many small ones
    units = max(2, int(getattr(tm, "num_tree", 100)) // 20)
    tl2cgen.export_lib(tm, toolchain="gcc", libpath=os.path.abspath(a.out),
                       params={"parallel_comp": units, "quantize": 0}, nthread=2)
    secs = time.perf_counter() - t
    pred = tl2cgen.Predictor(os.path.abspath(a.out), nthread=1)
    w = meta["width"]

    def run(block):
        y = np.asarray(pred.predict(tl2cgen.DMatrix(block, dtype="float64" if block.dtype == np.float64 else "float32")))
        return y.reshape(len(block), -1)

    def out_of(block):
        y = run(block)
        if w == 2 and y.shape[1] == 1:  # binary: treelite gives P(class 1); XGBoost's predict_proba adds 1 - p
            p = y[:, 0]
            y = np.stack([(np.float32(1) - p.astype(np.float32)).astype(np.float64) if meta["library"] == "xgboost" else 1 - p, p], axis=1)
        return y

    Xin = X.astype(np.float32) if meta["library"] == "xgboost" else X
    outputs = out_of(Xin).ravel().tolist()
    r = time_fn(run, run, Xin, a.tile)
    r.update({"seconds": round(secs, 3), "importSeconds": round(t_import, 3), "outputs": outputs,
              "version": f"treelite {treelite.__version__}, tl2cgen {tl2cgen.__version__}",
              "bytes": os.path.getsize(a.out),
              "units": units, "method": "tl2cgen.Predictor(nthread=1).predict(DMatrix) from Python (includes the wrapper's per-call cost)"})
    return r


def leaf_depths_xgb(model_json):
    """Per tree, the depth of every node (root 0) of an XGBoost JSON model, by node id."""
    with open(model_json, encoding="utf-8") as f:
        trees = json.load(f)["learner"]["gradient_booster"]["model"]["trees"]
    out = []
    for t in trees:
        left, right = t["left_children"], t["right_children"]
        depth = [0] * len(left)
        for i in range(len(left)):  # XGBoost numbers children after their parent
            if left[i] != -1:
                depth[left[i]] = depth[right[i]] = depth[i] + 1
        out.append(depth)
    return out


def leaf_depths_lgb(booster):
    """Per tree, the depth (root 0) of each leaf of a LightGBM model, by leaf index (from dump_model)."""
    out = []
    for t in booster.dump_model()["tree_info"]:
        depth = {}
        stack = [(t["tree_structure"], 0)]
        while stack:
            n, d = stack.pop()
            if "leaf_value" in n and "split_index" not in n:
                depth[n.get("leaf_index", 0)] = d
            else:
                stack.append((n["left_child"], d + 1))
                stack.append((n["right_child"], d + 1))
        out.append([depth[i] for i in range(len(depth))])
    return out


def cmd_visits(a):
    """Nodes visited per row on the timed rows (rows.csv tiled to --tile): for each tree, the depth of the leaf the
    row reaches (root = depth 0), i.e. the number of split nodes compared on its path, summed over the trees. Leaves
    from the library's pred_leaf (XGBoost, LightGBM) or apply (scikit-learn forests); depths from the model dump."""
    est, meta, X = load(a.dir)
    T = tile(X, a.tile)
    if meta["library"] == "xgboost":
        import xgboost as xgb
        leaves = est.get_booster().predict(xgb.DMatrix(T, missing=np.nan), pred_leaf=True)
        depths = leaf_depths_xgb(os.path.join(a.dir, meta["model_file"]))
        how = "XGBoost Booster.predict(pred_leaf=True), depths from the model JSON"
    elif meta["library"] == "lightgbm":
        leaves = est.booster_.predict(T, pred_leaf=True)
        depths = leaf_depths_lgb(est.booster_)
        how = "LightGBM Booster.predict(pred_leaf=True), depths from dump_model()"
    elif hasattr(est, "estimators_") and hasattr(est.estimators_[0], "tree_"):
        leaves = np.stack([e.apply(T) for e in est.estimators_], axis=1)
        depths = []
        for e in est.estimators_:
            tr = e.tree_
            d = [0] * tr.node_count
            for i in range(tr.node_count):  # scikit-learn numbers children after their parent
                if tr.children_left[i] != -1:
                    d[tr.children_left[i]] = d[tr.children_right[i]] = d[i] + 1
            depths.append(d)
        how = "scikit-learn estimators_[i].apply, depths from tree_.children_left/right"
    else:
        raise NotImplementedError(f"not a tree model: {type(est).__name__}")
    leaves = np.asarray(leaves, dtype=np.int64).reshape(len(T), -1)
    if leaves.shape[1] != len(depths):
        raise ValueError(f"pred_leaf gives {leaves.shape[1]} trees, the dump {len(depths)}")
    total = 0
    for k, d in enumerate(depths):
        total += int(np.asarray(d, dtype=np.int64)[leaves[:, k]].sum())
    return {"visitsPerRow": round(total / len(T), 3), "trees": len(depths), "rows": len(T), "method": how}


def cmd_lleaves_compile(a):
    import lleaves
    meta, _ = load_rows(a.dir)
    if os.path.exists(a.out):
        os.remove(a.out)
    t = time.perf_counter()
    m = lleaves.Model(model_file=os.path.join(a.dir, meta["model_file"]))
    m.compile(cache=os.path.abspath(a.out))
    secs = time.perf_counter() - t
    from importlib.metadata import version
    return {"seconds": round(secs, 3), "version": f"lleaves {version('lleaves')}, llvmlite {version('llvmlite')}",
            "bytes": os.path.getsize(a.out)}


def cmd_lleaves(a):
    import lleaves
    meta, X = load_rows(a.dir)
    m = lleaves.Model(model_file=os.path.join(a.dir, meta["model_file"]))
    t = time.perf_counter()
    m.compile(cache=os.path.abspath(a.out))  # loads the object file compiled by lleaves-compile
    load_s = time.perf_counter() - t

    def run(block):
        return np.asarray(m.predict(block, n_jobs=1), dtype=np.float64).reshape(len(block), -1)

    outputs = run(X).ravel().tolist()
    r = time_fn(run, run, X, a.tile)
    r.update({"outputs": outputs, "loadMs": round(load_s * 1000, 2),
              "method": "lleaves Model.predict(numpy float64, n_jobs=1) from Python (includes the wrapper's per-call cost)"})
    return r


def cmd_window(a):
    """Keep one tool loaded and time batches of --tile rows on request (bench/peers/window.mjs's protocol)."""
    if a.out:  # lleaves, from the object file lleaves-compile wrote
        import lleaves
        meta, X = load_rows(a.dir)
        m = lleaves.Model(model_file=os.path.join(a.dir, meta["model_file"]))
        m.compile(cache=os.path.abspath(a.out))

        def f(block):
            return m.predict(block, n_jobs=1)
    else:
        est, meta, X = load(a.dir)
        if hasattr(est, "set_params"):
            for k in ("n_jobs", "nthread"):
                if k in est.get_params():
                    est.set_params(**{k: 1})
        f = est.predict_proba if meta["classifier"] else est.predict
    T = tile(X, a.tile)

    def rate(ms):
        n, s = 0, time.perf_counter()
        while True:
            f(T)
            n += len(T)
            if (time.perf_counter() - s) * 1000 >= ms:
                return n / (time.perf_counter() - s)

    w = [round(rate(500)) for _ in range(2)]  # native code: no JIT, a short warm-up of caches and allocator
    print("ready " + json.dumps({"rowsPerSec": w, "steady": True, "seconds": None}), flush=True)
    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] == "q":
            break
        if parts[0] == "w":
            print(round(rate(float(parts[1]))), flush=True)
    return None


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=["library", "m2cgen", "onnx", "treelite", "visits", "lleaves-compile", "lleaves", "window"])
    ap.add_argument("dir")
    ap.add_argument("out", nargs="?")
    ap.add_argument("--tile", type=int, default=10000)
    a = ap.parse_args(argv)
    try:
        r = {"library": cmd_library, "m2cgen": cmd_m2cgen, "onnx": cmd_onnx, "treelite": cmd_treelite,
             "visits": cmd_visits, "lleaves-compile": cmd_lleaves_compile, "lleaves": cmd_lleaves,
             "window": cmd_window}[a.cmd](a)
    except Exception as e:  # recorded by bench/run.mjs as the peer's result
        msg = f"{type(e).__name__}: {e}".strip().splitlines()
        print((msg[0] if msg else type(e).__name__)[:400], file=sys.stderr)
        return 3
    if r is not None:
        print(json.dumps(r))
    return 0


if __name__ == "__main__":
    sys.setrecursionlimit(int(os.environ.get("BENCH_RECURSION_LIMIT", sys.getrecursionlimit())))
    sys.exit(main())
