"""Pickles of some scikit-learn fixture cases, re-fitted by python/fixtures/sklearn_fixtures.py
(the committed fixtures keep model.json, not the pickle): test/python/reference.test.ts runs
modelc-reference on them and compares with the committed expected.json.

    python test/python/sklearn_pickles.py OUT CASE...   ->  OUT/CASE/model.pkl
"""
import os
import pickle
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "python", "fixtures"))
import sklearn_fixtures  # noqa: E402

out, names = sys.argv[1], sys.argv[2:]
cases = {c.name: c for c in sklearn_fixtures.CASES}
for name in names:
    fx = cases[name].fn()
    os.makedirs(os.path.join(out, name), exist_ok=True)
    with open(os.path.join(out, name, "model.pkl"), "wb") as f:
        pickle.dump(fx.est, f, protocol=pickle.HIGHEST_PROTOCOL)
