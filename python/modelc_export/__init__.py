"""modelc_export: write fitted scikit-learn estimators as modelc JSON (layout: FORMAT.md).

    import modelc_export
    modelc_export.export(estimator, "model.json")

or from a shell:  python -m modelc_export model.pkl -o model.json
"""
from __future__ import annotations

import json
import platform
from typing import Any

from ._dump import SUPPORTED, UnsupportedEstimator, dump_estimator

__version__ = "0.1.0"
FORMAT = "modelc-sklearn"
FORMAT_VERSION = 1

__all__ = ["export", "to_document", "dumps", "UnsupportedEstimator", "SUPPORTED", "FORMAT_VERSION"]


def _versions() -> dict:
    import numpy
    import sklearn

    out = {"sklearn": sklearn.__version__, "numpy": numpy.__version__, "python": platform.python_version()}
    try:
        import scipy

        out["scipy"] = scipy.__version__
    except ImportError:  # pragma: no cover - scikit-learn depends on scipy
        pass
    return out


def to_document(estimator: Any) -> dict:
    """The JSON document (a dict) for a fitted estimator."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exporter_version": __version__,
        "versions": _versions(),
        "estimator": dump_estimator(estimator),
    }


def dumps(estimator: Any) -> str:
    """The JSON text: floats as shortest round-trip repr; NaN/Infinity/-Infinity as bare tokens."""
    return json.dumps(to_document(estimator), allow_nan=True, separators=(",", ":"), ensure_ascii=False)


def export(estimator: Any, path: str) -> None:
    """Write the estimator's JSON document to `path`."""
    text = dumps(estimator)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
        f.write("\n")
