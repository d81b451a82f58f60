"""The Python baseline of bench/serve.mjs: Flask around the same XGBoost models, under gunicorn.

    MODELS=small=path/small.json,big=path/big.json gunicorn -w 2 -k gthread --threads 4 -b 127.0.0.1:PORT --chdir bench serve_flask:app

Same request and answer as `modelc serve`: POST /v1/models/<name>:predict {"instances": [[...], ...]}
(null: missing) -> {"predictions": [...]}. One XGBoost thread per prediction (nthread=1), one gunicorn
worker per core; gthread workers keep connections alive (sync workers close each one).
"""

import os

import numpy as np
import xgboost as xgb
from flask import Flask, abort, jsonify, request

MODELS = {}
for spec in os.environ["MODELS"].split(","):
    name, path = spec.split("=", 1)
    booster = xgb.Booster()
    booster.load_model(path)
    booster.set_param({"nthread": 1})
    MODELS[name] = booster

app = Flask(__name__)


@app.get("/healthz")
def healthz():
    return jsonify(status="ok")


@app.post("/v1/models/<name>:predict")
def predict(name):
    booster = MODELS.get(name)
    if booster is None:
        abort(404)
    body = request.get_json()
    x = np.asarray(body["instances"], dtype=np.float64)  # None -> nan (missing)
    return jsonify(predictions=booster.inplace_predict(x).tolist())
