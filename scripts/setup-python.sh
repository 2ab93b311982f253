#!/usr/bin/env bash
# Installs boto3 for the boto3 conformance tests into .venv, idempotently and quietly. Without Python
# the boto3 tests skip with a printed reason.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v python3 >/dev/null || { echo "setup-python: python3 not found; boto3 tests will skip" >&2; exit 0; }
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv >/dev/null 2>&1 || { echo "setup-python: cannot create a venv; boto3 tests will skip" >&2; exit 0; }
fi
if ! .venv/bin/python -c "import boto3, botocore; from packaging.version import Version as V; assert V(botocore.__version__) >= V('1.34.90')" >/dev/null 2>&1; then
  .venv/bin/pip install --quiet --disable-pip-version-check "boto3>=1.34.90" packaging >/dev/null
fi
