#!/usr/bin/env bash
# README's test command (`npm test`): bootstrap, then the whole suite. Ends with the plain line
# `N passed, M failed` counted from Vitest's JSON report, which is what CI reads.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh || { echo "0 passed, 1 failed"; exit 1; }
bash scripts/setup-python.sh || true

mkdir -p test-results
report=test-results/vitest.json
rm -f "$report"
NODE_NO_WARNINGS=1 npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@"
status=$?
node scripts/count-results.mjs "$report" || status=1
exit $status
