"""python -m modelc_export MODEL(.pkl|.joblib) -o model.json"""
from __future__ import annotations

import argparse
import sys

from . import UnsupportedEstimator, export
from ._load import load_pickle


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m modelc_export",
                                 description="Export a pickled/joblib scikit-learn estimator to modelc JSON.")
    ap.add_argument("model", help="a pickle or joblib file holding a fitted estimator")
    ap.add_argument("-o", "--output", required=True, help="JSON file to write")
    ap.add_argument("--lists", action="store_true",
                    help="write every array as a list (format version 1, for modelc before format 2)")
    ap.add_argument("--no-compress", action="store_true", help="binary arrays as plain base64, not zlib-base64")
    args = ap.parse_args(argv)
    try:
        est = load_pickle(args.model)
        export(est, args.output, binary_min_size=None if args.lists else 256, compress=not args.no_compress)
    except UnsupportedEstimator as e:
        print(f"{args.model}: {e}", file=sys.stderr)
        return 2
    except (OSError, ValueError, TypeError) as e:
        print(f"{args.model}: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
