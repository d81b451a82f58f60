#!/usr/bin/env bash
# The README's first command: compile the bundled example model and print its predictions.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund >/dev/null
fi
node scripts/build.mjs
node bin/modelc.js inspect examples/iris-xgb/model.json
node bin/modelc.js compile examples/iris-xgb/model.json --name iris -o generated/example/iris.ts
node bin/modelc.js compile examples/iris-xgb/model.json --name iris -o generated/example/iris.mjs
node examples/run-example.mjs generated/example/iris.mjs examples/iris-xgb/rows.csv
node bin/modelc.js diff examples/iris-xgb/model.json --input examples/iris-xgb/rows.csv --expected examples/iris-xgb/expected.json --style all
