"""Error cases: what boto3 reports (class, Error.Code, QueryErrorCode, status) for SQS's refusals."""

import json

from support import case, create, error_of, qname


# ---------------------------------------------------------------- protocol


@case
def protocol(sqs):
    seen = {}

    def capture(request, **_):
        seen.update({k.lower(): v for k, v in request.headers.items()})

    sqs.meta.events.register("before-send.sqs.ListQueues", capture)
    try:
        sqs.list_queues(QueueNamePrefix=qname("none"))
    finally:
        sqs.meta.events.unregister("before-send.sqs.ListQueues", capture)
    def text(v):
        return v.decode() if isinstance(v, bytes) else v
    return {
        "target": text(seen.get("x-amz-target")),
        "contentType": text(seen.get("content-type")),
        "queryMode": text(seen.get("x-amzn-query-mode")),
    }


# ---------------------------------------------------------------- errors


@case
def queue_does_not_exist(sqs):
    url = create(sqs, "deleted")
    sqs.delete_queue(QueueUrl=url)
    return {
        "getQueueUrl": error_of(sqs, sqs.get_queue_url, "QueueDoesNotExist", QueueName=qname("never-created")),
        "getAttributesOfDeleted": error_of(
            sqs, sqs.get_queue_attributes, "QueueDoesNotExist", QueueUrl=url, AttributeNames=["All"]
        ),
    }


@case
def oversize(sqs):
    small = create(sqs, "small", MaximumMessageSize=1024)
    default = create(sqs, "default-size")
    return {
        "over1024": error_of(sqs, sqs.send_message, QueueUrl=small, MessageBody="a" * 1025),
        # Body plus attributes count: 1016 + len("k") + len("String") + len("x") = 1024 is at the limit.
        "atLimitWithAttribute": sqs.send_message(
            QueueUrl=small, MessageBody="a" * 1016, MessageAttributes={"k": {"DataType": "String", "StringValue": "x"}}
        ).get("MD5OfMessageAttributes"),
        "overDefault": error_of(sqs, sqs.send_message, QueueUrl=default, MessageBody="a" * 1048577),
    }


@case
def missing_and_invalid_parameters(sqs):
    url = create(sqs, "params")
    return {
        "emptyBody": error_of(sqs, sqs.send_message, QueueUrl=url, MessageBody=""),
        "maxMessages11": error_of(sqs, sqs.receive_message, QueueUrl=url, MaxNumberOfMessages=11),
        "wait21": error_of(sqs, sqs.receive_message, QueueUrl=url, WaitTimeSeconds=21),
        "invalidChars": error_of(sqs, sqs.send_message, "InvalidMessageContents", QueueUrl=url, MessageBody="a\x01b"),
    }


@case
def batch_request_errors(sqs):
    url = create(sqs, "batch-errors")
    twenty = [{"Id": str(i), "MessageBody": "m"} for i in range(20)]
    return {
        "sendTooMany": error_of(sqs, sqs.send_message_batch, "TooManyEntriesInBatchRequest", QueueUrl=url, Entries=twenty),
        "deleteTooMany": error_of(
            sqs,
            sqs.delete_message_batch,
            "TooManyEntriesInBatchRequest",
            QueueUrl=url,
            Entries=[{"Id": str(i), "ReceiptHandle": "x"} for i in range(20)],
        ),
        "badId": error_of(
            sqs, sqs.send_message_batch, "InvalidBatchEntryId", QueueUrl=url,
            Entries=[{"Id": "message:xxxx", "MessageBody": "m"}],
        ),
        "repeatedId": error_of(
            sqs, sqs.send_message_batch, "BatchEntryIdsNotDistinct", QueueUrl=url,
            Entries=[{"Id": "a", "MessageBody": "m"}, {"Id": "a", "MessageBody": "n"}],
        ),
        "empty": error_of(sqs, sqs.send_message_batch, "EmptyBatchRequest", QueueUrl=url, Entries=[]),
        "tooLong": error_of(
            sqs, sqs.send_message_batch, "BatchRequestTooLong", QueueUrl=url,
            Entries=[{"Id": "a", "MessageBody": "a" * 524288}, {"Id": "b", "MessageBody": "a" * 524289}],
        ),
    }


@case
def purge_in_progress(sqs):
    url = create(sqs, "purge")
    sqs.purge_queue(QueueUrl=url)
    return {"queueName": qname("purge"), "second": error_of(sqs, sqs.purge_queue, "PurgeQueueInProgress", QueueUrl=url)}


@case
def receipt_handles(sqs):
    url = create(sqs, "handles")
    sqs.send_message(QueueUrl=url, MessageBody="m")
    handle = sqs.receive_message(QueueUrl=url)["Messages"][0]["ReceiptHandle"]
    deletes = [sqs.delete_message(QueueUrl=url, ReceiptHandle=handle)["ResponseMetadata"]["HTTPStatusCode"] for _ in range(3)]
    return {
        "deleteGarbage": error_of(sqs, sqs.delete_message, "ReceiptHandleIsInvalid", QueueUrl=url, ReceiptHandle="garbage"),
        "changeInvalid": error_of(
            sqs, sqs.change_message_visibility, "ReceiptHandleIsInvalid", QueueUrl=url, ReceiptHandle="INVALID",
            VisibilityTimeout=0,
        ),
        "deleteSameHandleThrice": deletes,
        "changeDeleted": error_of(sqs, sqs.change_message_visibility, QueueUrl=url, ReceiptHandle=handle, VisibilityTimeout=0),
        "handle": handle,
    }


@case
def queue_name_exists(sqs):
    first = create(sqs, "exists", DelaySeconds=0)
    return {
        "sameAttributesUrlMatches": create(sqs, "exists", DelaySeconds=0) == first,
        "noAttributesUrlMatches": sqs.create_queue(QueueName=qname("exists"))["QueueUrl"] == first,
        "different": error_of(
            sqs, sqs.create_queue, "QueueNameExists", QueueName=qname("exists"), Attributes={"DelaySeconds": "1"}
        ),
    }


@case
def invalid_attribute_name(sqs):
    url = create(sqs, "attr-names")
    return {
        "getUnknown": error_of(sqs, sqs.get_queue_attributes, "InvalidAttributeName", QueueUrl=url, AttributeNames=["Foobar"]),
        "createStandardWithFifoFalse": error_of(
            sqs, sqs.create_queue, "InvalidAttributeName", QueueName=qname("fifo-false"), Attributes={"FifoQueue": "false"}
        ),
        "setFifoOnStandard": error_of(
            sqs, sqs.set_queue_attributes, "InvalidAttributeName", QueueUrl=url, Attributes={"FifoQueue": "true"}
        ),
    }


@case
def remove_unknown_permission(sqs):
    url = create(sqs, "perm")
    return {"error": error_of(sqs, sqs.remove_permission, QueueUrl=url, Label="crossaccountpermission2")}


@case
def move_task_errors(sqs):
    dlq = create(sqs, "mt-dlq")
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    plain = create(sqs, "mt-plain")
    plain_arn = sqs.get_queue_attributes(QueueUrl=plain, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    create(sqs, "mt-src", RedrivePolicy=json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 1}))
    return {
        "notADlq": error_of(sqs, sqs.start_message_move_task, SourceArn=plain_arn),
        "missingDestination": error_of(
            sqs, sqs.start_message_move_task, "ResourceNotFoundException", SourceArn=dlq_arn,
            DestinationArn=plain_arn.replace("mt-plain", "mt-missing"),
        ),
        "garbageHandle": error_of(sqs, sqs.cancel_message_move_task, TaskHandle="foobared"),
    }
