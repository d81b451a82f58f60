"""modelc-export MODEL(.pkl|.joblib) -o model.json   (or: python -m modelc_export ...)"""
from __future__ import annotations

import argparse
import os
import sys

from . import BOOSTER_WRAPPERS, BoosterError, UnsupportedEstimator, __version__, save
from ._load import load_pickle


def prog_name(console: str, module: str) -> str:
    """The console script's name when run as one, else `python -m module`."""
    return console if os.path.basename(sys.argv[0] or "") == console else f"python -m {module}"


def version_text() -> str:
    import platform

    return f"%(prog)s {__version__} (python {platform.python_version()})"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        prog=prog_name("modelc-export", "modelc_export"),
        description="Export a pickled/joblib scikit-learn estimator to modelc JSON.",
        epilog="A standalone XGBoost/LightGBM scikit-learn wrapper (" + ", ".join(BOOSTER_WRAPPERS) + ") is written "
               "as the library's own model file, which modelc reads: XGBoost save_model JSON (.json) or UBJSON (.ubj), "
               "LightGBM text (any other name; dump_model JSON for .json). Inside a Pipeline it is embedded in the "
               "modelc JSON document.")
    ap.add_argument("model", help="a pickle or joblib file holding a fitted estimator")
    ap.add_argument("-o", "--output", required=True, help="file to write")
    ap.add_argument("--lists", action="store_true",
                    help="write every array as a list (format version 1, for modelc before format 2)")
    ap.add_argument("--no-compress", action="store_true", help="binary arrays as plain base64, not zlib-base64")
    ap.add_argument("--sklearn-json", action="store_true",
                    help="write a standalone XGBoost/LightGBM wrapper as a modelc JSON document too "
                         "(it carries the wrapper's class labels), not as the library's model file")
    ap.add_argument("--version", action="version", version=version_text())
    args = ap.parse_args(argv)
    try:
        est = load_pickle(args.model)
        notes = save(est, args.output, sklearn_json=args.sklearn_json,
                     binary_min_size=None if args.lists else 256, compress=not args.no_compress)
    except (UnsupportedEstimator, BoosterError) as e:
        print(f"{args.model}: {e}", file=sys.stderr)
        return 2
    except ImportError as e:
        print(f"{args.model}: {e} (install modelc-export[xgboost] / modelc-export[lightgbm])", file=sys.stderr)
        return 2
    except (OSError, ValueError, TypeError) as e:
        print(f"{args.model}: {e}", file=sys.stderr)
        return 2
    for n in notes:
        print(f"note: {n}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
