"""Message cases: send/receive shapes, MD5s, FIFO, batches, attributes and polling through boto3."""

from support import case, create, error_of, md5, md5_of_attributes, message_view, qname


@case
def round_trip_attributes(sqs):
    url = create(sqs, "round-trip")
    attrs = {
        "Help.Me": {"DataType": "String", "StringValue": "Me"},
        "Hello": {"DataType": "String", "StringValue": "There"},
        "General": {"DataType": "String", "StringValue": "Kenobi"},
    }
    sent = sqs.send_message(QueueUrl=url, MessageBody="msg", MessageAttributes=attrs)
    first = sqs.receive_message(
        QueueUrl=url, MessageAttributeNames=["All"], MessageSystemAttributeNames=["All"], VisibilityTimeout=0
    )["Messages"][0]
    subset = sqs.receive_message(QueueUrl=url, MessageAttributeNames=["Hello", "General"])["Messages"][0]
    typed = {
        "timestamp": {"DataType": "Number", "StringValue": "1493147359900"},
        "attr1": {"DataType": "Binary", "BinaryValue": b"traceparent\x1e00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01"},
        "custom": {"DataType": "String.custom", "StringValue": "ü✓"},
    }
    typed_sent = sqs.send_message(QueueUrl=url, MessageBody="typed ✓", MessageAttributes=typed)
    typed_got = sqs.receive_message(QueueUrl=url, MessageAttributeNames=["All"])["Messages"][0]
    return {
        "sent": {k: sent.get(k) for k in ("MessageId", "MD5OfMessageBody", "MD5OfMessageAttributes", "SequenceNumber")},
        "sentAttributesMd5Local": md5_of_attributes(attrs),
        "first": message_view(first),
        "subset": message_view(subset),
        "typedSent": {k: typed_sent.get(k) for k in ("MD5OfMessageBody", "MD5OfMessageAttributes")},
        "typedLocal": {"body": md5("typed ✓"), "attributes": md5_of_attributes(typed)},
        "typedVectors": {
            "timestamp": md5_of_attributes({"timestamp": typed["timestamp"]}),
            "attr1": md5_of_attributes({"attr1": typed["attr1"]}),
        },
        "typedReceived": message_view(typed_got),
    }


@case
def fifo_send(sqs):
    url = create(sqs, "fifo", fifo=True)
    a = sqs.send_message(QueueUrl=url, MessageBody="g1-m1", MessageGroupId="g1", MessageDeduplicationId="d1")
    b = sqs.send_message(QueueUrl=url, MessageBody="g1-m2", MessageGroupId="g1", MessageDeduplicationId="d2")
    dup = sqs.send_message(QueueUrl=url, MessageBody="other body", MessageGroupId="g2", MessageDeduplicationId="d1")
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageSystemAttributeNames=["All"])
    return {
        "sends": [{k: r.get(k) for k in ("MessageId", "MD5OfMessageBody", "SequenceNumber")} for r in (a, b)],
        "duplicateMessageId": dup["MessageId"],
        "received": [message_view(m) for m in got.get("Messages", [])],
        "noGroup": error_of(sqs, sqs.send_message, QueueUrl=url, MessageBody="x", MessageDeduplicationId="d9"),
        "noDedup": error_of(sqs, sqs.send_message, QueueUrl=url, MessageBody="x", MessageGroupId="g1"),
        "delay": error_of(
            sqs, sqs.send_message, QueueUrl=url, MessageBody="x", MessageGroupId="g1", MessageDeduplicationId="d8",
            DelaySeconds=2,
        ),
    }


@case
def standard_send_shape(sqs):
    url = create(sqs, "std-shape")
    r = sqs.send_message(QueueUrl=url, MessageBody="msg")
    return {"keys": sorted(k for k in r if k != "ResponseMetadata"), "md5": r["MD5OfMessageBody"]}


@case
def batch_partial_failure(sqs):
    url = create(sqs, "batch-partial", MaximumMessageSize=1024)
    mixed = sqs.send_message_batch(
        QueueUrl=url,
        Entries=[
            {"Id": "ok", "MessageBody": "a" * 1024},
            {"Id": "big", "MessageBody": "a" * 1025},
            {"Id": "bad", "MessageBody": "\x01"},
        ],
    )
    clean = sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": "1", "MessageBody": "a"}])
    return {
        "status": mixed["ResponseMetadata"]["HTTPStatusCode"],
        "successful": [{k: e.get(k) for k in ("Id", "MD5OfMessageBody")} for e in mixed.get("Successful", [])],
        "failed": mixed.get("Failed"),
        "cleanKeys": sorted(k for k in clean if k != "ResponseMetadata"),
    }


@case
def queue_attributes_all(sqs):
    std = create(sqs, "attrs-std")
    fifo = create(sqs, "attrs-fifo", fifo=True)
    none = sqs.get_queue_attributes(QueueUrl=std, AttributeNames=["Policy"])
    subset = sqs.get_queue_attributes(QueueUrl=std, AttributeNames=["QueueArn", "CreatedTimestamp", "VisibilityTimeout"])
    return {
        "standard": sqs.get_queue_attributes(QueueUrl=std, AttributeNames=["All"])["Attributes"],
        "fifo": sqs.get_queue_attributes(QueueUrl=fifo, AttributeNames=["All"])["Attributes"],
        "policyOnlyKeys": sorted(k for k in none if k != "ResponseMetadata"),
        "subsetKeys": sorted(subset["Attributes"]),
        "queueName": qname("attrs-std"),
    }


@case
def receive_polling(sqs):
    url = create(sqs, "polling")
    empty = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0)
    sqs.send_message(QueueUrl=url, MessageBody="m1")
    sqs.send_message(QueueUrl=url, MessageBody="m2")
    # A message is already there, so a 20 s long poll must answer at once (it does not wait to fill 10).
    long = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=20, MaxNumberOfMessages=10)
    return {
        "emptyKeys": sorted(k for k in empty if k != "ResponseMetadata"),
        "longBodies": sorted(m["Body"] for m in long.get("Messages", [])),
    }


@case
def system_attributes(sqs):
    url = create(sqs, "trace")
    trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
    sent = sqs.send_message(
        QueueUrl=url,
        MessageBody="traced",
        MessageSystemAttributes={"AWSTraceHeader": {"DataType": "String", "StringValue": trace}},
    )
    got = sqs.receive_message(QueueUrl=url, MessageSystemAttributeNames=["AWSTraceHeader"])["Messages"][0]
    return {
        "sentKeys": sorted(k for k in sent if k != "ResponseMetadata"),
        "md5OfSystemAttributes": sent.get("MD5OfMessageSystemAttributes"),
        "receivedAttributes": got.get("Attributes"),
        "trace": trace,
    }


@case
def delete_batch_partial(sqs):
    url = create(sqs, "delete-batch")
    sqs.send_message(QueueUrl=url, MessageBody="m")
    handle = sqs.receive_message(QueueUrl=url)["Messages"][0]["ReceiptHandle"]
    r = sqs.delete_message_batch(
        QueueUrl=url, Entries=[{"Id": "good", "ReceiptHandle": handle}, {"Id": "bad", "ReceiptHandle": "garbage"}]
    )
    return {
        "status": r["ResponseMetadata"]["HTTPStatusCode"],
        "successful": r.get("Successful"),
        "failed": r.get("Failed"),
        "remaining": sqs.get_queue_attributes(
            QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
        )["Attributes"],
    }
