"""modelc_export: write fitted scikit-learn estimators as modelc JSON (layout: FORMAT.md).

    import modelc_export
    modelc_export.export(estimator, "model.json")

or from a shell:  python -m modelc_export model.pkl -o model.json
"""
from __future__ import annotations

import json
import platform
from typing import Any

from . import _dump
from ._dump import SUPPORTED, UnsupportedEstimator, dump_estimator

__version__ = "0.1.0"
FORMAT = "modelc-sklearn"
FORMAT_VERSION = 2  # newest layout written; a document without binary arrays is written as version 1

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


def to_document(estimator: Any, binary_min_size: Any = 256, compress: bool = True) -> dict:
    """The JSON document (a dict) for a fitted estimator.

    Numeric arrays of at least `binary_min_size` elements are written as raw bytes (format version
    2, zlib-compressed unless `compress=False`); `binary_min_size=None` writes every array as a
    list (format version 1). The lowest version that describes the document is written.
    """
    saved = dict(_dump.BINARY)
    _dump.BINARY.update(min_size=binary_min_size, compress=compress, used=False)
    try:
        est = dump_estimator(estimator)
        version = 2 if _dump.BINARY["used"] else 1
    finally:
        _dump.BINARY.update(saved)
    return {
        "format": FORMAT,
        "format_version": version,
        "exporter_version": __version__,
        "versions": _versions(),
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
