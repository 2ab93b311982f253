#!/usr/bin/env bash
# README's first quick-start command (`npm run demo`): bootstrap, then the example run of the whole
# pipeline (engine, fault rules, embedded emulator, Lambda consumer) in one process. Until scenario files
# land (issue 7) the example is scripts/demo.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
NODE_NO_WARNINGS=1 node scripts/demo.mjs
