"""boto3's view of injected SQS faults, for test/conformance/fault-errors.test.ts.

Usage: fault_errors.py ENDPOINT_URL CASES_JSON

CASES_JSON is a list of {"queue": name, "action": SendMessage|SendMessageBatch|GetQueueAttributes|
ReceiveMessage}. Each case calls the action once on ENDPOINT_URL/000000000000/<queue> with botocore's
standard retry mode (3 attempts, as the AWS SDKs and Tools reference guide "Retry behavior" describes it)
and prints what boto3 reports: exception class, Error.Code (from x-amzn-query-error), Type,
QueryErrorCode (from __type), message, HTTP status and RetryAttempts. The server counts the requests.

Only the backoff *delay* is patched to 0 so the run is quick; whether to retry stays botocore's own
decision (retries/standard.py StandardRetryConditions).
"""

import json
import sys

import boto3
import botocore
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.retries import standard

standard.ExponentialBackoff.delay_amount = lambda self, context: 0


def call(sqs, action, url):
    if action == "SendMessage":
        return sqs.send_message(QueueUrl=url, MessageBody="m")
    if action == "SendMessageBatch":
        return sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": "a", "MessageBody": "m"}])
    if action == "GetQueueAttributes":
        return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])
    if action == "ReceiveMessage":
        return sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1)
    raise ValueError(f"unknown action {action}")


def main():
    endpoint, cases = sys.argv[1], json.loads(sys.argv[2])
    sqs = boto3.client(
        "sqs",
        endpoint_url=endpoint,
        region_name="us-east-1",
        config=Config(retries={"mode": "standard", "total_max_attempts": 3}, connect_timeout=5, read_timeout=10),
    )
    out = {"meta": {"boto3": boto3.__version__, "botocore": botocore.__version__}, "cases": {}}
    for case in cases:
        url = f"{endpoint}/000000000000/{case['queue']}"
        try:
            call(sqs, case["action"], url)
            out["cases"][case["queue"]] = {"succeeded": True}
        except ClientError as e:
            err = e.response.get("Error", {})
            meta = e.response.get("ResponseMetadata", {})
            out["cases"][case["queue"]] = {
                "class": type(e).__name__,
                "code": err.get("Code"),
                "type": err.get("Type"),
                "queryErrorCode": err.get("QueryErrorCode"),
                "message": err.get("Message"),
                "status": meta.get("HTTPStatusCode"),
                "retryAttempts": meta.get("RetryAttempts"),
            }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
