"""Loading model files: pickles/joblib (scikit-learn), XGBoost and LightGBM model files."""
from __future__ import annotations

import pickle


def load_pickle(path: str):
    """A pickle or joblib file (joblib reads plain pickles too when installed)."""
    try:
        import joblib
    except ImportError:  # pragma: no cover - scikit-learn depends on joblib
        joblib = None
    if joblib is not None:
        try:
            return joblib.load(path)
        except (pickle.UnpicklingError, KeyError, EOFError) as e:
            raise ValueError(f"not a pickle or joblib file ({e})") from None
    with open(path, "rb") as f:
        try:
            return pickle.load(f)
        except (pickle.UnpicklingError, EOFError) as e:
            raise ValueError(f"not a pickle file ({e})") from None


def sniff(path: str) -> str:
    """'xgboost', 'lightgbm' or 'pickle' from the file's content."""
    with open(path, "rb") as f:
        head = f.read(4096)
    s = head.lstrip()
    if s.startswith(b"{"):
        if b'"learner"' in head or s[1:2] in (b"i", b"U", b"I", b"l", b"L", b"$", b"#"):
            return "xgboost"
        if b'"tree_info"' in head or b'"objective"' in head:
            return "lightgbm-json"
        return "json"
    if s.startswith(b"tree\n") or s.startswith(b"tree\r\n"):
        return "lightgbm"
    return "pickle"
