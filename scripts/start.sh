#!/usr/bin/env bash
# README's first quick-start command (`npm start`): bootstrap (node modules, build), then the main job —
# every example scenario in scenarios/ on the embedded emulator, with the pretty reporter. Exit 0 when
# every guarantee held, 1 when a check failed, 2 for bad input. Extra arguments go to `sqsrig run`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec node bin/sqsrig.js run scenarios "$@"
