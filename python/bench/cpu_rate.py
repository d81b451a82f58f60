#!/usr/bin/env python3
"""Batch throughput of the library (or lleaves) by the process's CPU time, for comparisons on a loaded machine.

    $PY python/bench/cpu_rate.py DIR [--visits V] [--seconds 6]          (the library, bench venv)
    $LL python/bench/cpu_rate.py DIR --lleaves OUT.so [--visits V]       (lleaves, bench-lleaves venv)

DIR is a model folder of models.py (.cache/bench/<model>); OUT.so the object file bench/run.mjs's lleaves-compile
wrote (.cache/bench/out/<model>/lleaves.so). Prints rows/s by wall clock and rows per CPU-second on the timed rows
(rows.csv tiled to 10 000), and with --visits (bench/run.mjs's visitsPerRow) ns per visited node by CPU time.
The JavaScript side of the same figure: node bench/profile-batch.mjs <module> <rows.csv> --visits V.
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peers import load, load_rows, tile  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("dir")
ap.add_argument("--lleaves")
ap.add_argument("--visits", type=float, default=0)
ap.add_argument("--seconds", type=float, default=6)
a = ap.parse_args()
if a.lleaves:
    import lleaves
    meta, X = load_rows(a.dir)
    m = lleaves.Model(model_file=os.path.join(a.dir, meta["model_file"]))
    m.compile(cache=os.path.abspath(a.lleaves))
    name = "lleaves Model.predict(n_jobs=1)"

    def f(block):
        return m.predict(block, n_jobs=1)
else:
    est, meta, X = load(a.dir)
    for k in ("n_jobs", "nthread"):
        if k in est.get_params():
            est.set_params(**{k: 1})
    f = est.predict_proba if meta["classifier"] else est.predict
    name = f"{type(est).__name__}.{f.__name__} ({meta['library']}, 1 thread)"
T = tile(X, 10000)
for _ in range(3):
    f(T)
w, c, n = time.perf_counter(), time.process_time(), 0
while time.perf_counter() - w < a.seconds:
    f(T)
    n += len(T)
w, c = time.perf_counter() - w, time.process_time() - c
node = f" ({1e9 / (n / c) / a.visits:.2f} ns per visited node)" if a.visits else ""
print(f"{name}: {n / w:,.0f} rows/s wall, {n / c:,.0f} rows per CPU-second{node}")
