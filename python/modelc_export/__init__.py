"""modelc_export: write fitted scikit-learn estimators as modelc JSON (layout: FORMAT.md).

    import modelc_export
    modelc_export.export(estimator, "model.json")        # modelc's scikit-learn JSON layout
    modelc_export.save(estimator, "model.json")          # the same, or for a standalone XGBoost/
                                                         # LightGBM wrapper the library's model file

or from a shell:  modelc-export model.pkl -o model.json   (python -m modelc_export ...)
"""
from __future__ import annotations

import json
import platform
from typing import Any

from . import _boosters, _dump
from ._boosters import BoosterError
from ._dump import SUPPORTED, UnsupportedEstimator, dump_estimator

__version__ = "0.1.0"
FORMAT = "modelc-sklearn"
FORMAT_VERSION = 2  # newest layout written; a document without binary arrays is written as version 1

__all__ = ["export", "save", "to_document", "dumps", "UnsupportedEstimator", "BoosterError", "SUPPORTED",
           "BOOSTER_WRAPPERS", "FORMAT_VERSION", "__version__"]

# XGBoost/LightGBM scikit-learn wrappers, written as the library's own model file when standalone
# and embedded in the document inside a Pipeline (FORMAT.md "Boosting library wrappers").
BOOSTER_WRAPPERS = _boosters.XGB_CLASSES + _boosters.LGB_CLASSES


def _versions(libraries=()) -> dict:
    import numpy
    import sklearn

    out = {"sklearn": sklearn.__version__, "numpy": numpy.__version__, "python": platform.python_version()}
    try:
        import scipy

        out["scipy"] = scipy.__version__
    except ImportError:  # pragma: no cover - scikit-learn depends on scipy
        pass
    for lib in sorted(libraries):  # xgboost / lightgbm, when the document embeds their models
        out[lib] = _boosters.library_version(lib)
    return out


def to_document(estimator: Any, binary_min_size: Any = 256, compress: bool = True) -> dict:
    """The JSON document (a dict) for a fitted estimator.

    Numeric arrays of at least `binary_min_size` elements are written as raw bytes (format version
    2, zlib-compressed unless `compress=False`); `binary_min_size=None` writes every array as a
    list (format version 1). The lowest version that describes the document is written.
    """
    saved = dict(_dump.BINARY)
    _dump.BINARY.update(min_size=binary_min_size, compress=compress, used=False)
    _dump.LIBRARIES.clear()
    try:
        est = dump_estimator(estimator)
        version = 2 if _dump.BINARY["used"] else 1
        libraries = set(_dump.LIBRARIES)
    finally:
        _dump.BINARY.update(saved)
        _dump.LIBRARIES.clear()
    return {
        "format": FORMAT,
        "format_version": version,
        "exporter_version": __version__,
        "versions": _versions(libraries),
        "estimator": est,
    }


def dumps(estimator: Any, **options: Any) -> str:
    """The JSON text: floats as shortest round-trip repr; NaN/Infinity/-Infinity as bare tokens."""
    return json.dumps(to_document(estimator, **options), allow_nan=True, separators=(",", ":"), ensure_ascii=False)


def export(estimator: Any, path: str, **options: Any) -> None:
    """Write the estimator's JSON document to `path` (options: see `to_document`)."""
    text = dumps(estimator, **options)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
        f.write("\n")


def save(estimator: Any, path: str, sklearn_json: bool = False, **options: Any) -> list:
    """What `modelc-export` writes: for a standalone XGBoost/LightGBM scikit-learn wrapper the
    library's own model file (XGBoost save_model JSON, UBJSON for a .ubj path; LightGBM text, or
    dump_model JSON for a .json path), which modelc reads as it is; for anything else, or with
    `sklearn_json=True`, the modelc JSON document (`export`). Returns notes for the user (e.g. the
    --classes a LightGBM classifier with labels other than 0..K-1 needs)."""
    if _boosters.library(estimator) and not sklearn_json:
        return _boosters.save_native(estimator, path)
    export(estimator, path, **options)
    return []
