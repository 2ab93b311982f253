#!/usr/bin/env bash
# Installs what sqsrig needs on a fresh clone, idempotently and quietly: node modules (which also builds
# dist/ through the `prepare` script) and, for the test suite, boto3 from PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=node_modules/.sqsrig-lock-hash
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -d node_modules ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  echo "$want" > "$stamp"
fi
# dist/ may be older than src/ after a pull: rebuild when any source is newer.
if [ ! -f dist/cli/index.js ] || [ -n "$(find src -newer dist/cli/index.js -name '*.ts' -print -quit)" ]; then
  npx tsc -p tsconfig.build.json
fi
