"""boto3 conformance driver for sqsrig.

Usage: driver.py ENDPOINT_URL [CASE ...]

Runs the named cases (all when none are named) against ENDPOINT_URL with one boto3 client and prints a
single JSON object: {"meta": {...}, "cases": {name: observations}}. A case records what boto3 itself
reports (exception class, Error.Code, QueryErrorCode, HTTP status, parsed response keys); the
TypeScript side (test/conformance/boto3*.test.ts) asserts them against AWS-recorded answers. A case that
raises unexpectedly is reported as {"crash": traceback} so one broken case never hides the others.
"""

import json
import sys
import traceback

import boto3
import botocore
from botocore.config import Config

# Imported for their @case registrations.
import cases_errors  # noqa: F401
import cases_messages  # noqa: F401
import cases_queues  # noqa: F401
from support import CASES, RUN


def cleanup(sqs):
    """Deletes this run's queues, which matters against a shared endpoint (LocalStack, AWS)."""
    try:
        for url in sqs.list_queues(QueueNamePrefix=f"b3-{RUN}").get("QueueUrls", []):
            sqs.delete_queue(QueueUrl=url)
    except Exception:  # best effort: a failed cleanup must not hide the results
        pass


def main():
    endpoint, names = sys.argv[1], sys.argv[2:] or list(CASES)
    sqs = boto3.client(
        "sqs",
        endpoint_url=endpoint,
        region_name="us-east-1",
        config=Config(retries={"total_max_attempts": 1}, connect_timeout=5, read_timeout=30),
    )
    out = {"meta": {"boto3": boto3.__version__, "botocore": botocore.__version__}, "cases": {}}
    for name in names:
        try:
            out["cases"][name] = CASES[name](sqs)
        except Exception:  # reported per case so the other cases still run
            out["cases"][name] = {"crash": traceback.format_exc()}
    cleanup(sqs)
    json.dump(out, sys.stdout, default=str)


if __name__ == "__main__":
    main()
