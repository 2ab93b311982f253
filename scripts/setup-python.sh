#!/usr/bin/env bash
# Installs boto3 for the boto3 conformance tests into .venv, idempotently and quietly: a second run
# only checks the versions. boto3 >= 1.34.90 is the first release that speaks AWS JSON 1.0 to SQS for
# good (boto/botocore#3165). Without Python, venv support or the network the boto3 tests skip with a
# printed reason, so this script never fails the build.
set -uo pipefail
cd "$(dirname "$0")/.."
skip() { echo "setup-python: $1; boto3 tests will skip" >&2; exit 0; }
check='import boto3, botocore
from packaging.version import Version as V
assert V(botocore.__version__) >= V("1.34.90")'

command -v python3 >/dev/null || skip "python3 not found"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv >/dev/null 2>&1 || { rm -rf .venv; skip "python3 -m venv failed (is python3-venv installed?)"; }
fi
.venv/bin/python -c "$check" >/dev/null 2>&1 && exit 0
log=.venv/pip-install.log
.venv/bin/python -m pip install --quiet --disable-pip-version-check "boto3>=1.34.90" packaging >"$log" 2>&1 \
  || skip "pip could not install boto3 (see $log)"
.venv/bin/python -c "$check" >/dev/null 2>&1 || skip "boto3 installed but botocore is older than 1.34.90"
