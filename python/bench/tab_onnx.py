#!/usr/bin/env python3
"""The onnxruntime peer of the tab-ohe-hgb latency benchmark (issue 16): the fixture's pipeline
(ColumnTransformer(OneHotEncoder on 5 categorical columns, StandardScaler on 10 numeric columns) ->
HistGradientBoostingClassifier, 2000 training rows) converted by skl2onnx.

    $(python/venv.sh sk-new) python/bench/tab_onnx.py fit     [--out bench/out]
        fits the pipeline exactly as python/fixtures/sk_cases_tab.py does for fixtures/sk19-tab-ohe-hgb
        (same data, seeds, scikit-learn 1.9.1) and pickles it: OUT/tab-ohe-hgb.pkl, plus
        OUT/tab-ohe-hgb.inputs.json (the ONNX input per column: name, element type)
    $(python/venv.sh bench) python/bench/tab_onnx.py convert [--out bench/out]
        skl2onnx (python/requirements/bench.txt: skl2onnx 1.20.0, onnx 1.23.2, scikit-learn 1.9.1)
        -> OUT/tab-ohe-hgb.onnx; prints JSON {"seconds", "converter", "inputs", "outputs", "check"}

Two steps because the bench venv has no pandas and the fixture venv no skl2onnx; both have
scikit-learn 1.9.1 and numpy 2.5.5, so the pickle moves between them.

The ONNX model takes one [N, 1] input per DataFrame column, named as the column: strings for the
categorical string columns, int64 for `seats`, float32 for the numeric ones (skl2onnx's scaler and
tree ensembles compute in float32: a latency peer, not an exact one). ONNX strings have no None: a
missing category must be sent as some string (an unknown one gives the all-zero one-hot, which
matches scikit-learn only when NaN/None was not a training category). "check" compares
onnx.reference's probabilities with expected.json on the fixture's ordinary rows without missing
categories.
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
NAME = "tab-ohe-hgb"


def cmd_fit(out: str) -> dict:
    sys.path.insert(0, os.path.join(ROOT, "python", "fixtures"))
    sys.path.insert(0, os.path.join(ROOT, "python"))
    import sklearn_fixtures  # noqa: F401  registers the tab-* cases
    import sk_cases_tab

    fx = sk_cases_tab.c_ohe_hgb()
    est = fx.est
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, f"{NAME}.pkl"), "wb") as f:
        pickle.dump(est, f, protocol=pickle.HIGHEST_PROTOCOL)
    inputs = []
    for c in est.feature_names_in_:
        dt = str(fx.train[c].dtype)
        kind = "int64" if dt.startswith("int") else "float" if dt.startswith("float") else "string"
        inputs.append({"name": str(c), "type": kind})
    with open(os.path.join(out, f"{NAME}.inputs.json"), "w", encoding="utf-8") as f:
        json.dump(inputs, f, indent=1)
        f.write("\n")
    return {"pickle": os.path.join(out, f"{NAME}.pkl"), "inputs": inputs}


def cmd_convert(out: str) -> dict:
    import numpy as np
    import skl2onnx
    from skl2onnx.common.data_types import FloatTensorType, Int64TensorType, StringTensorType

    with open(os.path.join(out, f"{NAME}.pkl"), "rb") as f:
        est = pickle.load(f)
    with open(os.path.join(out, f"{NAME}.inputs.json"), encoding="utf-8") as f:
        inputs = json.load(f)
    patch_bool_attributes()
    types = {"string": StringTensorType, "int64": Int64TensorType, "float": FloatTensorType}
    initial = [(i["name"], types[i["type"]]([None, 1])) for i in inputs]
    t0 = time.perf_counter()
    onx = skl2onnx.convert_sklearn(est, initial_types=initial, options={id(est.steps[-1][1]): {"zipmap": False}},
                                   target_opset={"": 17, "ai.onnx.ml": 3})
    seconds = time.perf_counter() - t0
    path = os.path.join(out, f"{NAME}.onnx")
    with open(path, "wb") as f:
        f.write(onx.SerializeToString())
    res = {"seconds": seconds, "converter": f"skl2onnx {skl2onnx.__version__}", "onnx": path,
           "inputs": [[i["name"], i["type"]] for i in inputs], "outputs": [o.name for o in onx.graph.output]}
    res["check"] = check(onx, est, inputs, np)
    return res


def patch_bool_attributes() -> None:
    """skl2onnx 1.20.0's HistGradientBoosting converter writes nodes_missing_value_tracks_true as a
    list mixing numpy uint8 (split nodes) and Python False (leaves); protobuf 7 refuses a bool in an
    ints attribute. Integer-like list attributes are made plain ints before the node is built."""
    import numbers

    from skl2onnx.common._container import ModelComponentContainer

    orig = ModelComponentContainer.add_node
    if getattr(orig, "_tab_onnx_patched", False):
        return

    def add_node(self, *args, **kwargs):
        for k, v in list(kwargs.items()):
            if isinstance(v, list) and v and all(isinstance(x, numbers.Integral) for x in v):
                kwargs[k] = [int(x) for x in v]
        return orig(self, *args, **kwargs)

    add_node._tab_onnx_patched = True
    ModelComponentContainer.add_node = add_node


def check(onx, est, inputs, np) -> dict:
    """Probabilities of onnx.reference vs expected.json on the sk19 fixture's ordinary rows that have
    no missing category (max abs difference; float32 inside the ONNX graph)."""
    path = os.path.join(ROOT, "fixtures", f"sk19-{NAME}", "rows.json")
    try:
        from onnx.reference import ReferenceEvaluator
    except ImportError as e:  # pragma: no cover
        return {"skipped": str(e)}
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    cols = doc["columns"]
    with open(path.replace("rows.json", "expected.json"), encoding="utf-8") as f:
        expected = json.load(f)["predict_proba"]
    with open(path.replace("rows.json", "meta.json"), encoding="utf-8") as f:
        row_kinds = json.load(f)["row_kinds"]
    kinds = {i["name"]: i["type"] for i in inputs}
    keep = [k for k, r in enumerate(doc["rows"]) if row_kinds[k] == "ordinary"
            and all(isinstance(v, str) for c, v in zip(cols, r) if kinds[c] == "string")]
    feeds = {}
    for j, c in enumerate(cols):
        vals = [doc["rows"][k][j] for k in keep]
        if kinds[c] == "string":
            feeds[c] = np.array(vals, dtype=object).reshape(-1, 1)
        elif kinds[c] == "int64":
            feeds[c] = np.array(vals, dtype=np.int64).reshape(-1, 1)
        else:
            feeds[c] = np.array(vals, dtype=np.float32).reshape(-1, 1)
    try:
        outs = ReferenceEvaluator(onx).run(None, feeds)
    except Exception as e:  # noqa: BLE001 - the reference runtime may lack an ml operator
        return {"skipped": f"onnx.reference: {str(e).splitlines()[0][:160]}"}
    proba = np.asarray(outs[-1], dtype=np.float64)
    exp = np.asarray([expected[k] for k in keep], dtype=np.float64)
    return {"rows": len(keep), "max_abs_diff_proba": float(np.max(np.abs(proba - exp)))}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("cmd", choices=["fit", "convert"])
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "out"))
    a = ap.parse_args(argv)
    r = cmd_fit(a.out) if a.cmd == "fit" else cmd_convert(a.out)
    print(json.dumps(r))
    return 0


if __name__ == "__main__":
    sys.exit(main())
