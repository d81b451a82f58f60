#!/usr/bin/env bash
# Usage: python/venv.sh NAME
#
# Creates or updates .venv/NAME (at the repo root) from python/requirements/NAME.txt,
# whose versions are all pinned with ==. Prints the venv's python path on stdout
# (progress goes to stderr), so callers can do:  PY=$(python/venv.sh xgb3)
#
# A requirements file may ask for an interpreter with a line "# python: X.Y"
# (xgboost >= 3.3 needs 3.12). It is looked up as pythonX.Y on PATH, then under
# ~/.pyenv/versions, /usr/local/bin, /usr/bin; without the line, $PYTHON or python3.
#
# Fast path: .venv/NAME/.modelc-stamp holds a hash of the requirements file and the
# interpreter version; when it matches, nothing is done (no network).
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 NAME   (reads python/requirements/NAME.txt)" >&2
  exit 2
fi
NAME=$1
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REQ="$ROOT/python/requirements/$NAME.txt"
VENV="$ROOT/.venv/$NAME"
STAMP="$VENV/.modelc-stamp"

if [ ! -f "$REQ" ]; then
  echo "$0: no requirements file $REQ" >&2
  exit 2
fi

py_minor() { "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null; }

find_python() {
  local want=$1 c
  if [ -z "$want" ]; then
    c=${PYTHON:-python3}
    if py_minor "$c" >/dev/null; then "$c" -c 'import sys; print(sys.executable)'; return 0; fi
    return 1
  fi
  for c in "python$want" "${PYTHON:-}" python3 \
           "$HOME"/.pyenv/versions/"$want".*/bin/python"$want" \
           /usr/local/bin/python"$want" /usr/bin/python"$want"; do
    [ -n "$c" ] || continue
    command -v "$c" >/dev/null 2>&1 || [ -x "$c" ] || continue
    if [ "$(py_minor "$c")" = "$want" ]; then
      "$c" -c 'import sys; print(sys.executable)'
      return 0
    fi
  done
  return 1
}

WANT=$(sed -n 's/^#[[:space:]]*python:[[:space:]]*\([0-9][0-9.]*\).*/\1/p' "$REQ" | head -n 1)

# Fast path before anything slow: stamp written with the same requirements and interpreter.
req_hash() {
  { cat "$REQ"; "$VENV/bin/python" -c 'import sys; print(sys.version)'; } | sha256sum | cut -d' ' -f1
}
if [ -f "$STAMP" ] && [ -x "$VENV/bin/python" ] && [ "$(cat "$STAMP")" = "$(req_hash 2>/dev/null || true)" ]; then
  echo "$VENV/bin/python"
  exit 0
fi

mkdir -p "$ROOT/.venv"
# Serialise concurrent runs for the same venv.
exec 9>"$ROOT/.venv/.$NAME.lock"
if command -v flock >/dev/null 2>&1; then flock 9; fi

# Re-check after taking the lock: another process may just have built it.
if [ -f "$STAMP" ] && [ -x "$VENV/bin/python" ] && [ "$(cat "$STAMP")" = "$(req_hash 2>/dev/null || true)" ]; then
  echo "$VENV/bin/python"
  exit 0
fi

if ! BASE=$(find_python "$WANT"); then
  echo "$0: $REQ needs Python ${WANT:-3}, not found (tried python$WANT, ~/.pyenv/versions/$WANT.*, /usr/bin)" >&2
  exit 2
fi

# Recreate when the venv's interpreter is not the wanted minor version (or the venv is broken).
if [ -d "$VENV" ]; then
  have=$(py_minor "$VENV/bin/python" || true)
  if [ -z "$have" ] || [ "$have" != "$(py_minor "$BASE")" ]; then
    echo "venv.sh: recreating $VENV (python '$have' -> $(py_minor "$BASE"))" >&2
    rm -rf "$VENV"
  fi
fi
if [ ! -x "$VENV/bin/python" ]; then
  echo "venv.sh: creating $VENV with $BASE ($("$BASE" --version 2>&1))" >&2
  "$BASE" -m venv "$VENV"
fi

rm -f "$STAMP"
echo "venv.sh: installing $REQ into $VENV" >&2
"$VENV/bin/python" -m pip install --disable-pip-version-check --no-input -q \
  --only-binary=:all: -r "$REQ" >&2

# Remove packages that are no longer in the requirements (keeps updates clean).
extra=$("$VENV/bin/python" - "$REQ" <<'PY'
import re, sys
from importlib import metadata
norm = lambda s: re.sub(r"[-_.]+", "-", s).lower()
want = set()
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.split("#", 1)[0].strip()
    if line:
        want.add(norm(re.split(r"[=<>!~\[; ]", line, maxsplit=1)[0]))
keep = want | {"pip", "setuptools", "wheel"}
have = {norm(d.metadata["Name"]) for d in metadata.distributions() if d.metadata["Name"]}
print(" ".join(sorted(have - keep)))
PY
)
if [ -n "$extra" ]; then
  echo "venv.sh: removing packages not in $NAME.txt: $extra" >&2
  # shellcheck disable=SC2086
  "$VENV/bin/python" -m pip uninstall --disable-pip-version-check -q -y $extra >&2
fi

"$VENV/bin/python" -m pip check >&2 || { echo "$0: pip check failed for $VENV" >&2; exit 1; }
req_hash > "$STAMP"
echo "$VENV/bin/python"
