/**
 * Requests that try to reach what they should not: a path with dot segments addressing another queue,
 * and `__proto__` keys smuggling parameters past the parser. Each case failed before its fix.
 *
 * AWS: a queue URL is `https://sqs.REGION.amazonaws.com/ACCOUNT_ID/QUEUE_NAME` (SQS Developer Guide,
 * "Amazon SQS queue and message identifiers"); nothing else addresses a queue. CreateQueue without
 * QueueName is MissingParameter, and an attribute name outside the documented list is
 * InvalidAttributeName (API Reference, CreateQueue and "Common Errors").
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTarget, type SqsTarget } from "../support/target.js";
import { postJson, postQuery } from "../support/wire.js";
import { FORM, rawRequest } from "../support/raw-http.js";

let target: SqsTarget;
let victimUrl: string;

beforeAll(async () => {
  target = await createTarget();
  victimUrl = (await postJson(target.endpoint, "CreateQueue", { QueueName: "victim" })).json!.QueueUrl as string;
  await postJson(target.endpoint, "CreateQueue", { QueueName: "a" });
  await postJson(target.endpoint, "SendMessage", { QueueUrl: victimUrl, MessageBody: "keep me" });
});
afterAll(() => target.close());

async function victimDepth(): Promise<string> {
  const got = await postJson(target.endpoint, "GetQueueAttributes", { QueueUrl: victimUrl, AttributeNames: ["ApproximateNumberOfMessages"] });
  return (got.json!.Attributes as Record<string, string>).ApproximateNumberOfMessages!;
}

describe("a queue path is exactly /ACCOUNT_ID/QUEUE_NAME", () => {
  it.each([
    "/000000000000/a/../victim",
    "/000000000000/a/%2e%2e/victim",
    "/000000000000/a/%2E%2E/victim",
    "/000000000000/./victim",
    "/000000000000/a/..%2fvictim",
    "/x/../000000000000/victim",
    "//000000000000/victim",
  ])("PurgeQueue at %s purges nothing and answers InvalidAddress", async (path) => {
    const res = await rawRequest(target.endpoint, "POST", path, FORM, "Action=PurgeQueue&Version=2012-11-05");
    expect(res.status).toBe(404);
    expect(res.text).toContain("<Code>InvalidAddress</Code>");
    expect(await victimDepth()).toBe("1");
  });

  it("the queue's own path still addresses it, with or without a trailing slash", async () => {
    for (const path of ["/000000000000/victim", "/000000000000/victim/"]) {
      const res = await rawRequest(target.endpoint, "POST", path, FORM, "Action=GetQueueAttributes&AttributeName.1=All&Version=2012-11-05");
      expect(res.status).toBe(200);
      expect(res.text).toContain("<Name>ApproximateNumberOfMessages</Name><Value>1</Value>");
    }
  });
});

describe("__proto__ keys are data, never a prototype", () => {
  it('JSON CreateQueue with {"__proto__":{"QueueName":"x"}} is MissingParameter (JSON: MissingRequiredParameterException) and creates nothing', async () => {
    const res = await postJson(target.endpoint, "CreateQueue", '{"__proto__":{"QueueName":"smuggled"}}');
    expect(res.status).toBe(400);
    expect(res.json!.__type).toMatch(/MissingRequiredParameterException/);
    const listed = await postJson(target.endpoint, "ListQueues", {});
    expect(JSON.stringify(listed.json)).not.toContain("smuggled");
  });

  it("JSON Attributes with a __proto__ member are refused as an unknown attribute", async () => {
    const res = await postJson(target.endpoint, "CreateQueue", '{"QueueName":"p1","Attributes":{"__proto__":{"DelaySeconds":"5"}}}');
    expect(res.status).toBe(400);
  });

  it("query Attribute.1.Name=__proto__ is InvalidAttributeName", async () => {
    const res = await postQuery(target.endpoint, { Action: "CreateQueue", QueueName: "p2", "Attribute.1.Name": "__proto__", "Attribute.1.Value": "1" });
    expect(res.status).toBe(400);
    expect(res.text).toContain("<Code>InvalidAttributeName</Code>");
  });

  it("a tag keyed __proto__ is stored and listed like any other", async () => {
    const created = await postQuery(target.endpoint, { Action: "CreateQueue", QueueName: "p3", "Tag.1.Key": "__proto__", "Tag.1.Value": "v" });
    expect(created.status).toBe(200);
    const url = `${target.endpoint}/000000000000/p3`;
    const tags = await postJson(target.endpoint, "ListQueueTags", { QueueUrl: url });
    expect(tags.json!.Tags).toEqual(JSON.parse('{"__proto__":"v"}'));
  });

  it("a message attribute named __proto__ comes back with the message", async () => {
    const url = (await postJson(target.endpoint, "CreateQueue", { QueueName: "p4" })).json!.QueueUrl as string;
    const sent = await postJson(
      target.endpoint,
      "SendMessage",
      `{"QueueUrl":"${url}","MessageBody":"b","MessageAttributes":{"__proto__":{"DataType":"String","StringValue":"x"}}}`,
    );
    expect(sent.status).toBe(200);
    const got = await postJson(target.endpoint, "ReceiveMessage", { QueueUrl: url, MessageAttributeNames: ["All"] });
    const message = (got.json!.Messages as Array<{ MessageAttributes: Record<string, unknown> }>)[0]!;
    expect(Object.keys(message.MessageAttributes)).toEqual(["__proto__"]);
  });
});
