"""Queue-management cases: ListQueues paging, tags and GetQueueUrl through boto3."""

from support import case, create, qname


@case
def list_queues(sqs):
    prefix = qname("list")
    urls = sorted(sqs.create_queue(QueueName=f"{prefix}-{i}")["QueueUrl"] for i in range(3))
    listed = sqs.list_queues(QueueNamePrefix=prefix)
    page1 = sqs.list_queues(QueueNamePrefix=prefix, MaxResults=2)
    page2 = sqs.list_queues(QueueNamePrefix=prefix, MaxResults=2, NextToken=page1["NextToken"]) if "NextToken" in page1 else {}
    paged = [u for p in sqs.get_paginator("list_queues").paginate(QueueNamePrefix=prefix, MaxResults=1) for u in p.get("QueueUrls", [])]
    nomatch = sqs.list_queues(QueueNamePrefix=qname("nomatch"))
    return {
        "created": urls,
        "listed": sorted(listed.get("QueueUrls", [])),
        "page1Count": len(page1.get("QueueUrls", [])),
        "page1HasToken": "NextToken" in page1,
        "page2": page2.get("QueueUrls", []),
        "page2HasToken": "NextToken" in page2,
        "paginated": sorted(paged),
        "noMatchKeys": sorted(k for k in nomatch if k != "ResponseMetadata"),
    }


@case
def tags(sqs):
    url = sqs.create_queue(QueueName=qname("tags"), tags={"tag1": "value1", "tag3": ""})["QueueUrl"]
    sqs.tag_queue(QueueUrl=url, Tags={"tag2": "value2", "tag1": "changed", "MyTag": "a", "mytag": "b"})
    after_tag = sqs.list_queue_tags(QueueUrl=url).get("Tags")
    sqs.untag_queue(QueueUrl=url, TagKeys=["tag1", "does-not-exist"])
    after_untag = sqs.list_queue_tags(QueueUrl=url).get("Tags")
    sqs.untag_queue(QueueUrl=url, TagKeys=["tag2", "tag3", "MyTag", "mytag"])
    none = sqs.list_queue_tags(QueueUrl=url)
    return {
        "afterTag": after_tag,
        "afterUntag": after_untag,
        "emptyKeys": sorted(k for k in none if k != "ResponseMetadata"),
    }


@case
def get_queue_url(sqs):
    name = qname("url")
    created = sqs.create_queue(QueueName=name)["QueueUrl"]
    fifo_created = create(sqs, "url", fifo=True)
    return {
        "name": name,
        "created": created,
        "got": sqs.get_queue_url(QueueName=name)["QueueUrl"],
        "fifoCreated": fifo_created,
        "fifoGot": sqs.get_queue_url(QueueName=qname("url", True))["QueueUrl"],
    }
