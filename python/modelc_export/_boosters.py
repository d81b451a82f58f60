"""XGBoost and LightGBM scikit-learn wrappers: the booster they predict with, as the library writes it.

The libraries are imported lazily (they are optional extras): an object is recognised by its class
name and module, so nothing is imported to tell that a pickle holds no booster.

The booster written is the one the wrapper's `predict` uses:
  XGBoost   the wrapper predicts with iterations 0..best_iteration when the booster has a
            best_iteration attribute (early stopping); the model file then holds those iterations
            only (XGBoost's own Booster slicing), attributes kept, so Booster.predict and modelc
            (with or without --best-iteration) give what the wrapper gives. gblinear ignores the
            iteration range in the library, so it is never sliced.
  LightGBM  Booster.save_model / model_to_string already write iterations up to best_iteration,
            which is what the wrapper's predict uses.
"""
from __future__ import annotations

import copy
import json
import math
import os
import tempfile
from typing import Any

XGB_CLASSES = ("XGBClassifier", "XGBRegressor", "XGBRanker", "XGBRFClassifier", "XGBRFRegressor")
LGB_CLASSES = ("LGBMClassifier", "LGBMRegressor", "LGBMRanker")


class BoosterError(ValueError):
    """A wrapper modelc_export cannot write (unfitted, or a setting modelc cannot reproduce)."""


def library(obj: Any) -> str | None:
    """'xgboost' or 'lightgbm' for a wrapper this module writes, else None (exact class names only:
    a subclass may predict differently)."""
    cls = type(obj)
    mod = cls.__module__
    if cls.__name__ in XGB_CLASSES and mod.split(".")[0] == "xgboost":
        return "xgboost"
    if cls.__name__ in LGB_CLASSES and mod.split(".")[0] == "lightgbm":
        return "lightgbm"
    return None


def library_version(lib: str) -> str:
    import importlib

    return str(importlib.import_module(lib).__version__)


def _check_common(est: Any, where: str) -> None:
    name = type(est).__name__
    obj = est.get_params(deep=False).get("objective")
    if callable(obj):
        raise BoosterError(f"{where}.params.objective: {name} with a custom objective function is not supported "
                           "(the wrapper then predicts raw scores that no model file describes)")


def _is_classifier(est: Any) -> bool:
    return type(est).__name__ in ("XGBClassifier", "XGBRFClassifier", "LGBMClassifier")


def classes_are_indices(est: Any) -> bool:
    """True when the wrapper's class labels are 0..K-1 (what the model files store), or it has none."""
    if not _is_classifier(est):
        return True
    import numpy as np

    c = np.asarray(est.classes_)
    return c.dtype.kind in "iu" and np.array_equal(c, np.arange(len(c)))


# --------------------------------------------------------------------------------------
# XGBoost


def xgb_prediction_wrapper(est: Any, where: str = "$") -> tuple[Any, str | None]:
    """(a wrapper to save, note): `est` itself, or a shallow copy holding the booster sliced to
    best_iteration + 1 iterations when the wrapper predicts with fewer than all of them."""
    _check_common(est, where)
    name = type(est).__name__
    try:
        bst = est.get_booster()
    except Exception as e:  # NotFittedError / XGBoostError
        raise BoosterError(f"{where}: {name} is not fitted ({e})") from None
    missing = est.get_params(deep=False).get("missing", math.nan)
    if missing is not None and not (isinstance(missing, float) and math.isnan(missing)):
        raise BoosterError(f"{where}.params.missing: {name} with missing={missing!r} is not supported "
                           "(modelc reads XGBoost models with NaN as the missing value)")
    best = bst.attr("best_iteration")
    if best is None:
        return est, None
    best = int(best)
    rounds = bst.num_boosted_rounds()
    booster_name = json.loads(bst.save_config())["learner"]["gradient_booster"]["name"]
    if best + 1 >= rounds or booster_name == "gblinear":
        return est, None
    sliced = bst[: best + 1]
    sliced.set_attr(**bst.attributes())  # slicing drops them; keep best_iteration/best_score
    w = copy.copy(est)
    w._Booster = sliced
    at = "" if where == "$" else f"{where}: "
    return w, (f"{at}best_iteration={best}: wrote the {best + 1} iterations the wrapper predicts with "
               f"(of {rounds} trained)")


def xgb_save(est: Any, path: str, where: str = "$") -> str | None:
    """The wrapper's save_model (JSON, or UBJSON for a .ubj path) of the trees it predicts with."""
    w, note = xgb_prediction_wrapper(est, where)
    w.save_model(path)
    return note


def xgb_document(est: Any, where: str = "$") -> tuple[dict, str | None]:
    """The wrapper's save_model JSON document, parsed (floats read back to the same doubles)."""
    with tempfile.TemporaryDirectory(prefix="modelc-export-") as d:
        p = os.path.join(d, "model.json")
        note = xgb_save(est, p, where)
        with open(p, encoding="utf-8") as f:
            return json.load(f), note


# --------------------------------------------------------------------------------------
# LightGBM


def lgb_booster(est: Any, where: str = "$") -> Any:
    _check_common(est, where)
    try:
        return est.booster_
    except Exception as e:  # LGBMNotFittedError
        raise BoosterError(f"{where}: {type(est).__name__} is not fitted ({e})") from None


def lgb_text(est: Any, where: str = "$") -> str:
    """Booster.model_to_string(): LightGBM's text model, iterations up to best_iteration."""
    return lgb_booster(est, where).model_to_string()


def lgb_save(est: Any, path: str, where: str = "$") -> None:
    """Text (Booster.save_model), or Booster.dump_model() JSON for a .json path."""
    bst = lgb_booster(est, where)
    if path.lower().endswith(".json"):
        with open(path, "w", encoding="utf-8") as f:
            json.dump(bst.dump_model(), f, allow_nan=True)
            f.write("\n")
    else:
        bst.save_model(path)


# --------------------------------------------------------------------------------------
# standalone: the library's own model file


def save_native(est: Any, path: str) -> list[str]:
    """Write a standalone wrapper's model file; returns notes for the user (stderr)."""
    lib = library(est)
    notes = []
    if lib == "xgboost":
        ext = os.path.splitext(path)[1].lower()
        if ext not in (".json", ".ubj"):
            raise BoosterError(f"an XGBoost model is written as JSON or UBJSON: give -o a .json or .ubj name, not {path!r}")
        note = xgb_save(est, path)
    elif lib == "lightgbm":
        lgb_save(est, path)
        note = None
    else:  # pragma: no cover - callers check library() first
        raise TypeError(f"not an XGBoost/LightGBM wrapper: {type(est).__name__}")
    if note:
        notes.append(note)
    if not classes_are_indices(est):
        labels = [x.item() if hasattr(x, "item") else x for x in est.classes_]
        text = [str(x) for x in labels]
        fmt = "XGBoost" if lib == "xgboost" else "LightGBM"
        if all(t and t == t.strip() and "," not in t for t in text):
            notes.append(f"class labels are not stored in {fmt} model files (they hold 0..{len(text) - 1}): "
                         f"compile with --classes={','.join(text)}, or export with --sklearn-json")
        else:
            notes.append(f"class labels are not stored in {fmt} model files and cannot be given as --classes: "
                         "export with --sklearn-json")
    return notes
