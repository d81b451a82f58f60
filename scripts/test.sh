#!/usr/bin/env bash
# The one test command (README, .ci/run): installs what is missing, regenerates the current XGBoost,
# LightGBM and scikit-learn fixtures with the real libraries, type-checks, lints and checks formatting,
# runs every test, and ends with one summary line.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mkdir -p .cache
# Plain text when the output is not a terminal (CI logs are read by tools, not people).
if [ ! -t 1 ]; then export NO_COLOR=1 FORCE_COLOR=0; fi

step() { printf '\n== %s\n' "$*"; }
failed=0
passed=0

step "npm packages"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund || { echo "npm ci failed"; echo "tests: 0 passed, 1 failed"; exit 1; }
fi
node scripts/build.mjs || { echo "tests: 0 passed, 1 failed"; exit 1; }

# Regenerates one library's current fixtures in its pinned venv; CI thereby re-checks parity with
# the real library on every run. Notes (does not fail) when they differ from the committed ones.
regen() { # regen LABEL VENV SCRIPT TAG
  step "$1 reference fixtures (real library, pinned versions)"
  local py
  if py=$(bash python/venv.sh "$2") && "$py" "python/fixtures/$3" --tag "$4" --out fixtures; then
    passed=$((passed + 1))
    if [ -n "$(git status --porcelain fixtures 2>/dev/null | grep "$4-" || true)" ]; then
      echo "note: regenerated $4 fixtures differ from the committed ones:"
      git status --porcelain fixtures | grep "$4-" | head -20
    fi
  else
    echo "$1 fixture generation failed"; failed=$((failed + 1))
  fi
}

if [ "${MODELC_SKIP_PYTHON:-0}" != "1" ]; then
  regen XGBoost xgb3 xgboost_fixtures.py xgb3
  regen LightGBM lgb4 lightgbm_fixtures.py lgb4
  regen scikit-learn sk-new sklearn_fixtures.py sk19
fi

if [ "${MODELC_SKIP_BROWSER:-0}" != "1" ]; then
  step "Chromium for the browser tests"
  if chromium_path=$(bash scripts/ensure-chromium.sh); then echo "$chromium_path"; else echo "chromium install failed"; failed=$((failed + 1)); fi
fi

step "type-check"
if npx tsc --noEmit -p tsconfig.json; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

step "lint and format (biome ci)"
if npx biome ci --colors=off --reporter=summary . ; then passed=$((passed + 1)); else echo "biome: run npx biome check --write . and review"; failed=$((failed + 1)); fi

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

# The benchmark harness (bench/run.mjs --quick: the three small models, every tool, ~2 min): CI keeps it
# working and checks what it reports on correctness (bench/check.mjs: modelc bit for bit on the tree
# models, every peer with numbers or a recorded failure), not its speed. Needs the Python venv.
if [ "${MODELC_SKIP_PYTHON:-0}" != "1" ] && [ "${MODELC_SKIP_BENCH:-0}" != "1" ]; then
  step "benchmark harness (npm run bench -- --quick; checks correctness, not speed)"
  rm -f bench/out/results-quick.json
  if npm run --silent bench -- --quick > .cache/bench-quick.log 2>&1 && node bench/check.mjs bench/out/results-quick.json; then
    passed=$((passed + 1))
  else
    tail -n 30 .cache/bench-quick.log
    [ -f bench/out/results-quick.json ] && node bench/check.mjs bench/out/results-quick.json
    echo "benchmark harness (--quick) failed; full log: .cache/bench-quick.log"
    failed=$((failed + 1))
  fi
fi

echo
echo "tests: ${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
