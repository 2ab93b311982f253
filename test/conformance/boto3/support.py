"""Shared helpers for the boto3 conformance cases: the case registry, queue naming, error capture, MD5s.

botocore does not check MD5OfMessageBody / MD5OfMessageAttributes itself (it has no SQS MD5 handler,
unlike the JS v3 and Java SDKs), so the cases recompute both with the published algorithm.
"""

import hashlib
import struct
import uuid

from botocore.exceptions import ClientError

RUN = uuid.uuid4().hex[:8]
CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


def qname(label, fifo=False):
    return f"b3-{RUN}-{label}" + (".fifo" if fifo else "")


def create(sqs, label, fifo=False, **attributes):
    attrs = {k: str(v) for k, v in attributes.items()}
    if fifo:
        attrs["FifoQueue"] = "true"
    return sqs.create_queue(QueueName=qname(label, fifo), Attributes=attrs)["QueueUrl"]


def error_of(sqs, fn, modeled=None, **kwargs):
    """Calls fn and returns what boto3 reports about the error (None if the call succeeded)."""
    try:
        fn(**kwargs)
    except ClientError as e:
        err = e.response.get("Error", {})
        return {
            "class": type(e).__name__,
            "isModeled": bool(modeled) and isinstance(e, getattr(sqs.exceptions, modeled)),
            "code": err.get("Code"),
            "queryErrorCode": err.get("QueryErrorCode"),
            "type": err.get("Type"),
            "message": err.get("Message"),
            "status": e.response["ResponseMetadata"]["HTTPStatusCode"],
        }
    return None


def _len_prefixed(data):
    return struct.pack(">I", len(data)) + data


def md5_of_attributes(attrs):
    """SQS MD5OfMessageAttributes: sorted names; name, type, transport byte, value, length-prefixed."""
    buf = b""
    for name in sorted(attrs):
        a = attrs[name]
        buf += _len_prefixed(name.encode()) + _len_prefixed(a["DataType"].encode())
        if "StringValue" in a:
            buf += b"\x01" + _len_prefixed(a["StringValue"].encode())
        else:
            buf += b"\x02" + _len_prefixed(bytes(a["BinaryValue"]))
    return hashlib.md5(buf).hexdigest()


def md5(text):
    return hashlib.md5(text.encode()).hexdigest()


def message_view(m):
    """A JSON-safe view of one received message, with the MD5s recomputed locally."""
    attrs = m.get("MessageAttributes")
    view = {k: m[k] for k in ("MessageId", "Body", "MD5OfBody", "MD5OfMessageAttributes", "Attributes") if k in m}
    view["hasReceiptHandle"] = bool(m.get("ReceiptHandle"))
    view["bodyMd5Ok"] = m.get("MD5OfBody") == md5(m["Body"])
    if attrs is not None:
        view["attributeNames"] = sorted(attrs)
        view["attributesMd5Ok"] = m.get("MD5OfMessageAttributes") == md5_of_attributes(attrs)
        view["attributeValues"] = {
            k: v.get("StringValue", None) if "StringValue" in v else bytes(v["BinaryValue"]).hex() for k, v in attrs.items()
        }
        view["attributeTypes"] = {k: v["DataType"] for k, v in attrs.items()}
    return view
