#!/usr/bin/env bash
# The one test command (README, .ci/run): installs what is missing, regenerates the current XGBoost
# fixtures with the real library, type-checks, runs every test, and ends with one summary line.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mkdir -p .cache

step() { printf '\n== %s\n' "$*"; }
failed=0
passed=0

step "npm packages"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund || { echo "npm ci failed"; echo "tests: 0 passed, 1 failed"; exit 1; }
fi
node scripts/build.mjs || { echo "tests: 0 passed, 1 failed"; exit 1; }

if [ "${MODELC_SKIP_PYTHON:-0}" != "1" ]; then
  step "XGBoost reference fixtures (real library, pinned versions)"
  if PY=$(bash python/venv.sh xgb3); then
    if "$PY" python/fixtures/xgboost_fixtures.py --tag xgb3 --out fixtures; then
      passed=$((passed + 1))
      if [ -n "$(git status --porcelain fixtures 2>/dev/null | grep xgb3 || true)" ]; then
        echo "note: regenerated xgb3 fixtures differ from the committed ones:"
        git status --porcelain fixtures | grep xgb3 | head -20
      fi
    else
      echo "fixture generation failed"; failed=$((failed + 1))
    fi
  else
    echo "python venv failed"; failed=$((failed + 1))
  fi
  step "LightGBM reference fixtures (real library, pinned versions)"
  if PY=$(bash python/venv.sh lgb4) && "$PY" python/fixtures/lightgbm_fixtures.py --tag lgb4 --out fixtures; then
    passed=$((passed + 1))
    if [ -n "$(git status --porcelain fixtures 2>/dev/null | grep lgb4 || true)" ]; then
      echo "note: regenerated lgb4 fixtures differ from the committed ones:"
      git status --porcelain fixtures | grep lgb4 | head -20
    fi
  else
    echo "LightGBM fixture generation failed"; failed=$((failed + 1))
  fi
fi

if [ "${MODELC_SKIP_PYTHON:-0}" != "1" ]; then
  step "scikit-learn reference fixtures (real library, pinned versions)"
  if PY=$(bash python/venv.sh sk-new); then
    if "$PY" python/fixtures/sklearn_fixtures.py --tag sk19 --out fixtures; then
      passed=$((passed + 1))
      if [ -n "$(git status --porcelain fixtures 2>/dev/null | grep sk19 || true)" ]; then
        echo "note: regenerated sk19 fixtures differ from the committed ones:"
        git status --porcelain fixtures | grep sk19 | head -20
      fi
    else
      echo "fixture generation failed"; failed=$((failed + 1))
    fi
  else
    echo "python venv failed"; failed=$((failed + 1))
  fi
  step "LightGBM reference fixtures (real library, pinned versions)"
  if PY=$(bash python/venv.sh lgb4) && "$PY" python/fixtures/lightgbm_fixtures.py --tag lgb4 --out fixtures; then
    passed=$((passed + 1))
    if [ -n "$(git status --porcelain fixtures 2>/dev/null | grep lgb4 || true)" ]; then
      echo "note: regenerated lgb4 fixtures differ from the committed ones:"
      git status --porcelain fixtures | grep lgb4 | head -20
    fi
  else
    echo "LightGBM fixture generation failed"; failed=$((failed + 1))
  fi
fi

if [ "${MODELC_SKIP_BROWSER:-0}" != "1" ]; then
  step "Chromium for the browser tests"
  if chromium_path=$(bash scripts/ensure-chromium.sh); then echo "$chromium_path"; else echo "chromium install failed"; failed=$((failed + 1)); fi
fi

step "type-check"
if npx tsc --noEmit -p tsconfig.json; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

step "vitest"
rm -f .cache/vitest.json
npx vitest run --reporter=default --reporter=json --outputFile.json=.cache/vitest.json
vitest_rc=$?
if [ -f .cache/vitest.json ]; then
  read -r vp vf < <(node -e '
    const r = JSON.parse(require("fs").readFileSync(".cache/vitest.json", "utf8"));
    console.log(r.numPassedTests, r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0) + r.numFailedTestSuites);
  ')
  passed=$((passed + vp))
  failed=$((failed + vf))
  if [ "$vitest_rc" -ne 0 ] && [ "$vf" -eq 0 ]; then failed=$((failed + 1)); fi
else
  failed=$((failed + 1))
fi

echo
echo "tests: ${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
