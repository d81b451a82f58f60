"""Fitted scikit-learn estimators to plain JSON values, attributes as they are (see FORMAT.md).

Nothing here decides what an attribute means: arrays keep their dtype and shape, floats are
written with Python's shortest round-trip repr, and the TypeScript importer interprets them.
"""
from __future__ import annotations

import base64
import numbers
import zlib
from typing import Any

import numpy as np

from . import _boosters

# Binary array encoding (format version 2, FORMAT.md "Binary arrays"): numeric and bool arrays of
# at least `min_size` elements are written as their raw little-endian bytes, zlib-compressed when
# `compress`, in base64. `to_document` sets these and reads `used` to pick the format version.
BINARY_DTYPES = ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64")
BINARY = {"min_size": 256, "compress": True, "used": False}
# Libraries other than scikit-learn whose models the document embeds (XGBoost/LightGBM wrappers):
# `to_document` clears it and adds their versions to "versions".
LIBRARIES: set = set()

# Attributes every estimator may have; dumped when present.
COMMON = ("n_features_in_", "feature_names_in_", "classes_", "n_classes_", "n_outputs_")

_TREE = ("tree_", "max_features_")
_FOREST = ("estimators_", "n_estimators")
_LINEAR = ("coef_", "intercept_")
_SVM = ("support_vectors_", "dual_coef_", "intercept_", "_dual_coef_", "_intercept_", "_n_support",
        "n_support_", "support_", "probA_", "probB_", "_gamma", "fit_status_", "shape_fit_",
        "_sparse", "class_weight_", "offset_")

# OneHotEncoder/OrdinalEncoder/TargetEncoder (_BaseEncoder): categories and the infrequent-category
# mapping their transform reads (infrequent_categories_ is a property, present when enabled).
_ENCODER = ("categories_", "_missing_indices", "_infrequent_enabled", "_infrequent_indices",
            "_default_to_infrequent_mappings", "infrequent_categories_")
_KNN = ("_fit_X", "_y", "classes_", "outputs_2d_", "effective_metric_", "effective_metric_params_",
        "n_samples_fit_", "_fit_method")

# Per class: the fitted attributes that exist for it (beyond COMMON). A class that is not
# here is refused with UnsupportedEstimator, naming it.
ATTRS: dict[str, tuple[str, ...]] = {
    # trees and forests
    "DecisionTreeClassifier": _TREE,
    "DecisionTreeRegressor": _TREE,
    "ExtraTreeClassifier": _TREE,
    "ExtraTreeRegressor": _TREE,
    "RandomForestClassifier": _FOREST,
    "RandomForestRegressor": _FOREST,
    "ExtraTreesClassifier": _FOREST,
    "ExtraTreesRegressor": _FOREST,
    "IsolationForest": ("estimators_", "estimators_features_", "max_samples_", "offset_", "_max_features",
                        "_max_samples", "_average_path_length_per_tree", "_decision_path_lengths"),
    # boosting
    "GradientBoostingClassifier": ("estimators_", "init_", "n_estimators_", "n_trees_per_iteration_",
                                   "_loss", "loss_", "max_features_"),
    "GradientBoostingRegressor": ("estimators_", "init_", "n_estimators_", "n_trees_per_iteration_",
                                  "_loss", "loss_", "max_features_"),
    "HistGradientBoostingClassifier": ("_predictors", "_baseline_prediction", "_bin_mapper", "is_categorical_",
                                       "n_trees_per_iteration_", "n_iter_", "_loss", "_preprocessor",
                                       "_is_categorical_remapped"),
    "HistGradientBoostingRegressor": ("_predictors", "_baseline_prediction", "_bin_mapper", "is_categorical_",
                                      "n_trees_per_iteration_", "n_iter_", "_loss", "_preprocessor",
                                      "_is_categorical_remapped"),
    "AdaBoostClassifier": ("estimators_", "estimator_weights_", "estimator_errors_"),
    "AdaBoostRegressor": ("estimators_", "estimator_weights_", "estimator_errors_"),
    "DummyClassifier": ("class_prior_", "_strategy", "n_outputs_", "_n_classes", "sparse_output_", "constant"),
    "DummyRegressor": ("constant_",),
    # meta-estimators (members are dumped whole; Voting's classes_ are le_.classes_)
    "VotingClassifier": ("estimators_",),
    "VotingRegressor": ("estimators_",),
    "BaggingClassifier": ("estimators_", "estimators_features_"),
    "BaggingRegressor": ("estimators_", "estimators_features_"),
    "StackingClassifier": ("estimators_", "final_estimator_", "stack_method_"),
    "StackingRegressor": ("estimators_", "final_estimator_", "stack_method_"),
    "MultiOutputClassifier": ("estimators_",),
    "OneVsRestClassifier": ("estimators_", "multilabel_"),
    "MultiOutputRegressor": ("estimators_",),
    "TransformedTargetRegressor": ("regressor_", "transformer_", "_training_dim"),
    "CalibratedClassifierCV": ("calibrated_classifiers_",),
    "_SigmoidCalibration": ("a_", "b_"),
    "IsotonicRegression": ("X_thresholds_", "y_thresholds_", "X_min_", "X_max_", "increasing_"),
    # linear
    **{name: _LINEAR for name in (
        "LinearRegression", "Ridge", "RidgeCV", "RidgeClassifier", "RidgeClassifierCV", "Lasso", "LassoCV",
        "ElasticNet", "ElasticNetCV", "Lars", "LassoLars", "BayesianRidge", "ARDRegression", "HuberRegressor",
        "PoissonRegressor", "GammaRegressor", "TweedieRegressor", "LogisticRegression", "LogisticRegressionCV",
        "SGDClassifier", "SGDRegressor", "Perceptron", "PassiveAggressiveClassifier",
        "PassiveAggressiveRegressor", "LinearSVC", "LinearSVR", "QuantileRegressor", "OrthogonalMatchingPursuit")},
    # kernels
    "SVC": _SVM, "NuSVC": _SVM, "SVR": _SVM, "NuSVR": _SVM, "OneClassSVM": _SVM,
    # neural networks
    "MLPClassifier": ("coefs_", "intercepts_", "n_layers_", "out_activation_"),
    "MLPRegressor": ("coefs_", "intercepts_", "n_layers_", "out_activation_"),
    **{name: _KNN for name in ("KNeighborsClassifier", "KNeighborsRegressor")},
    # preprocessing
    "Pipeline": ("steps",),
    "ColumnTransformer": ("transformers_", "output_indices_", "_remainder", "sparse_output_", "_n_features",
                          "_columns", "_transformer_to_input_indices"),
    "StandardScaler": ("mean_", "scale_", "var_"),
    "MinMaxScaler": ("min_", "scale_", "data_min_", "data_max_"),
    "MaxAbsScaler": ("scale_", "max_abs_"),
    "RobustScaler": ("center_", "scale_"),
    "Normalizer": (),
    "SimpleImputer": ("statistics_", "indicator_", "_fit_dtype", "_fill_dtype"),
    "MissingIndicator": ("features_", "_n_features", "_precomputed"),
    "PolynomialFeatures": ("powers_", "n_output_features_"),
    "VarianceThreshold": ("variances_", "support"),
    "SelectKBest": ("scores_", "pvalues_", "support"),
    "SelectPercentile": ("scores_", "pvalues_", "support"),
    "FunctionTransformer": (),
    "OrdinalEncoder": _ENCODER,
    "OneHotEncoder": _ENCODER + ("drop_idx_", "_drop_idx_after_grouping", "_n_features_outs"),
    "TargetEncoder": _ENCODER + ("encodings_", "target_mean_", "target_type_"),
    "KBinsDiscretizer": ("bin_edges_", "n_bins_", "_encoder"),
    "TransformedTargetRegressor": ("regressor_", "transformer_", "_training_dim"),
}

SUPPORTED = tuple(sorted(ATTRS))


class UnsupportedEstimator(TypeError):
    """An estimator class that modelc_export cannot dump."""

    def __init__(self, obj: Any, where: str = "$"):
        cls = type(obj)
        name = f"{cls.__module__}.{cls.__qualname__}"
        super().__init__(
            f"{where}: cannot export {name}: not a supported estimator "
            f"(modelc_export.SUPPORTED lists the {len(SUPPORTED)} supported scikit-learn classes)")
        self.class_name = name


def is_estimator(obj: Any) -> bool:
    return hasattr(obj, "get_params") and hasattr(obj, "fit")


def dump_estimator(est: Any, where: str = "$") -> dict:
    cls = type(est)
    name = cls.__name__
    if _boosters.library(est):
        return dump_booster_wrapper(est, where)
    if name not in ATTRS or not cls.__module__.startswith("sklearn."):
        raise UnsupportedEstimator(est, where)
    params = {}
    for k, v in sorted(est.get_params(deep=False).items()):
        params[k] = dump_value(v, f"{where}.params.{k}", param=True)
    attrs = {}
    for a in COMMON + ATTRS[name]:
        if a == "support":
            if hasattr(est, "get_support"):
                attrs[a] = dump_value(np.asarray(est.get_support()), f"{where}.attrs.support")
            continue
        if a == "tree_":
            if hasattr(est, "tree_"):
                attrs[a] = dump_tree(est.tree_)
            continue
        if a == "_predictors":
            attrs[a] = [[dump_predictor(p) for p in it] for it in est._predictors]
            continue
        if a == "_bin_mapper":
            bm = est._bin_mapper
            attrs[a] = {"dict": {k: dump_value(getattr(bm, k), f"{where}.attrs._bin_mapper.{k}")
                                 for k in ("is_categorical_", "bin_thresholds_", "missing_values_bin_idx_",
                                           "n_bins_non_missing_", "n_bins") if hasattr(bm, k)}}
            continue
        if a in ("_loss", "loss_"):
            if a == "loss_" and "_loss" in attrs:
                continue  # deprecated alias of _loss (1.1-1.2)
            if a in vars(est):
                attrs[a] = dump_loss(getattr(est, a))
            continue
        try:
            has = hasattr(est, a)
        except Exception:  # some properties raise when not applicable
            has = False
        if has:
            attrs[a] = dump_value(getattr(est, a), f"{where}.attrs.{a}")
    return {"class": name, "module": cls.__module__, "params": params, "attrs": attrs}


# Attributes of the XGBoost/LightGBM wrappers, besides their booster (FORMAT.md "Boosting library wrappers").
BOOSTER_WRAPPER_ATTRS = ("n_features_in_", "feature_names_in_", "classes_", "n_classes_", "best_iteration",
                         "best_iteration_")


def dump_booster_wrapper(est: Any, where: str) -> dict:
    """XGBClassifier/XGBRegressor/XGBRanker/XGBRF* and LGBMClassifier/LGBMRegressor/LGBMRanker: the
    booster the wrapper predicts with, as the library writes it (XGBoost: the save_model JSON
    document; LightGBM: the text model), plus the wrapper's labels and shape attributes."""
    cls = type(est)
    lib = _boosters.library(est)
    if lib == "xgboost":
        doc, _ = _boosters.xgb_document(est, where)
        booster = {"xgboost_model": doc}
    else:
        booster = {"lightgbm_model": _boosters.lgb_text(est, where)}
    LIBRARIES.add(lib)
    params = {k: dump_value(v, f"{where}.params.{k}", param=True)
              for k, v in sorted(est.get_params(deep=False).items())}
    attrs: dict[str, Any] = {}
    for a in BOOSTER_WRAPPER_ATTRS:
        try:
            v = getattr(est, a)
        except Exception:  # the wrappers' properties raise when not applicable
            continue
        if v is not None:
            attrs[a] = dump_value(v, f"{where}.attrs.{a}")
    attrs["_Booster"] = booster
    return {"class": cls.__name__, "module": cls.__module__, "params": params, "attrs": attrs}


def dump_loss(loss: Any) -> dict:
    """A loss object: its class name and its plain numeric/string parameters (e.g. quantile)."""
    out: dict[str, Any] = {"class": type(loss).__name__}
    for k, v in sorted(vars(loss).items()):
        if isinstance(v, (bool, numbers.Number, str)) or v is None:
            out[k] = dump_value(v, "loss")
        elif hasattr(v, "__dict__") and k in ("closs", "link"):
            out[k] = {"class": type(v).__name__}
    return {"loss": out}


def dump_tree(tree: Any) -> dict:
    state = tree.__getstate__()
    nodes = state["nodes"]
    out: dict[str, Any] = {
        "node_count": int(tree.node_count),
        "n_features": int(tree.n_features),
        "n_outputs": int(tree.n_outputs),
        "n_classes": dump_value(np.asarray(tree.n_classes)),
        "max_depth": int(tree.max_depth),
    }
    for f in ("left_child", "right_child", "feature", "threshold", "n_node_samples", "missing_go_to_left"):
        if f in nodes.dtype.names:
            out[f] = dump_value(np.ascontiguousarray(nodes[f]))
    out["value"] = dump_value(state["values"])
    return {"tree": out}


def dump_predictor(p: Any) -> dict:
    nodes = p.nodes
    out = {f: dump_value(np.ascontiguousarray(nodes[f])) for f in nodes.dtype.names if f != "gain"}
    out["raw_left_cat_bitsets"] = dump_value(np.asarray(p.raw_left_cat_bitsets))
    return {"predictor": out}


def dump_value(v: Any, where: str = "$", param: bool = False) -> Any:
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, numbers.Integral):
        return int(v)
    if isinstance(v, numbers.Real):
        return float(v)
    if isinstance(v, np.ndarray):
        return dump_array(v, where)
    if isinstance(v, (list, tuple)):
        return [dump_value(x, f"{where}[{i}]", param) for i, x in enumerate(v)]
    if isinstance(v, dict):
        return {"dict": {str(k): dump_value(x, f"{where}.{k}", param) for k, x in v.items()}}
    if isinstance(v, slice):
        return {"slice": [v.start, v.stop, v.step]}
    if isinstance(v, type):
        return {"object": f"{v.__module__}.{v.__qualname__}"}
    if isinstance(v, np.ufunc) or (callable(v) and not is_estimator(v) and hasattr(v, "__qualname__")):
        return {"function": function_name(v)}
    if type(v).__name__ == "_CalibratedClassifier" and type(v).__module__.startswith("sklearn."):
        # CalibratedClassifierCV's members (not estimators): the fitted classifier, its calibrators, the classes
        return {"estimator": {"class": "_CalibratedClassifier", "module": type(v).__module__, "params": {},
                              "attrs": {"estimator": dump_value(v.estimator, f"{where}.estimator"),
                                        "calibrators": dump_value(list(v.calibrators), f"{where}.calibrators"),
                                        "classes": dump_value(np.asarray(v.classes), f"{where}.classes"),
                                        "method": str(v.method)}}}
    if is_estimator(v):
        if param:
            # an unfitted estimator given as a parameter: its class only (the fitted copy is an attribute)
            return {"object": f"{type(v).__module__}.{type(v).__qualname__}"}
        return {"estimator": dump_estimator(v, where)}
    return {"object": f"{type(v).__module__}.{type(v).__qualname__}"}


def function_name(f: Any) -> str:
    """`module.qualname` of a function (FunctionTransformer's func): numpy ufuncs as `numpy.<name>`
    (np.log1p -> "numpy.log1p"), other numpy functions by their public module (np.sqrt is a ufunc,
    np.clip is "numpy.clip"), Python functions as defined (a lambda is "module.<lambda>")."""
    if isinstance(f, np.ufunc):
        return f"numpy.{f.__name__}"
    mod = getattr(f, "__module__", None) or ""
    qual = getattr(f, "__qualname__", None) or getattr(f, "__name__", type(f).__name__)
    if mod.startswith("numpy") and getattr(np, qual, None) is f:
        mod = "numpy"
    return f"{mod}.{qual}" if mod else qual


def dump_array(a: np.ndarray, where: str) -> dict:
    kind = a.dtype.kind
    if kind == "O":
        data = [dump_value(x, f"{where}[{i}]") for i, x in enumerate(a.ravel().tolist())]
        return {"ndarray": {"dtype": "object", "shape": list(a.shape), "data": data}}
    if kind in "US":
        return {"ndarray": {"dtype": "str", "shape": list(a.shape), "data": [str(x) for x in a.ravel().tolist()]}}
    if BINARY["min_size"] is not None and a.size >= BINARY["min_size"] and a.dtype.name in BINARY_DTYPES:
        return dump_binary(a)
    if kind == "b":
        data = [bool(x) for x in a.ravel().tolist()]
    elif kind in "iuf":
        data = a.ravel().tolist()
    else:
        raise TypeError(f"{where}: cannot export an array of dtype {a.dtype}")
    return {"ndarray": {"dtype": a.dtype.name, "shape": list(a.shape), "data": data}}


def dump_binary(a: np.ndarray) -> dict:
    """The array's own bytes: C order, little-endian (bool as one byte 0/1), optionally zlib, in base64."""
    raw = np.ascontiguousarray(a, dtype=a.dtype.newbyteorder("<")).tobytes()
    BINARY["used"] = True
    out = {"dtype": a.dtype.name, "shape": list(a.shape)}
    if BINARY["compress"]:
        out["encoding"] = "zlib-base64"
        out["bytes"] = base64.b64encode(zlib.compress(raw, 1)).decode("ascii")
    else:
        out["encoding"] = "base64"
        out["bytes"] = base64.b64encode(raw).decode("ascii")
    return {"ndarray": out}
