import { SendMessageCommand, type MessageAttributeValue } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createQueue, expectError, receiveOne } from "../support/messages.js";
import { createTarget, type SqsTarget } from "../support/target.js";

let target: SqsTarget;
let url: string;
beforeAll(async () => {
  target = await createTarget();
  url = await createQueue(target.client, target.name());
});
afterAll(() => target.close());

const str = (StringValue: string, DataType = "String"): MessageAttributeValue => ({ DataType, StringValue });
const send = (MessageAttributes: Record<string, MessageAttributeValue>) =>
  target.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "body", MessageAttributes }));
/** Every attribute rule below answers InvalidParameterValue; AWS recorded the text only for E11. */
const INVALID = { name: "InvalidParameterValue", code: "InvalidParameterValue" };

// SQS developer guide, "Amazon SQS message attributes": "each message can have up to 10 attributes".
describe("number of message attributes", () => {
  const attrs = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`attr${i}`, str(`v${i}`)]));

  it("accepts 10 and returns all 10", async () => {
    const own = await createQueue(target.client, target.name());
    await target.client.send(new SendMessageCommand({ QueueUrl: own, MessageBody: "ten", MessageAttributes: attrs(10) }));
    const got = await receiveOne(target.client, own, { messageAttributeNames: ["All"] });
    expect(Object.keys(got.MessageAttributes ?? {})).toHaveLength(10);
  });

  it("rejects 11", async () => {
    await expectError(send(attrs(11)), INVALID);
  });
});

// SQS developer guide, "Amazon SQS message attributes", Name: alphanumerics, hyphens, underscores and
// periods, case-sensitive, up to 256 characters; not starting with AWS. or Amazon. (any case); no leading,
// trailing or successive periods. Validated `test_send_message_with_invalid_string_attributes` (V9): the
// rejected names below come from it, and `attr.1øßä` is accepted.
describe("message attribute names", () => {
  it.each([
    ["AWS. prefix", "AWS.custom"],
    ["aWs. prefix in mixed case", "aWs.custom"],
    ["Amazon. prefix", "Amazon.custom"],
    ["AMAZON. prefix in upper case", "AMAZON.custom"],
    ["a leading period", ".lead"],
    ["a trailing period", "trail."],
    ["successive periods", "a..b"],
    ["!", "bang!"],
    ['"', 'quote"'],
    ["§", "sect§"],
    ["(", "paren("],
    ["?", "what?"],
    ["a space", "two words"],
    ["257 characters", "n".repeat(257)],
  ])("rejects a name with %s", async (_label, name) => {
    await expectError(send({ [name]: str("v") }), INVALID);
  });

  it.each([
    ["non-ASCII letters (validated attr.1øßä)", "attr.1øßä"],
    ["periods, hyphens and underscores inside", "a.b-c_d"],
    ["AWS without a period", "AWSome"],
    ["256 characters", "n".repeat(256)],
  ])("accepts a name with %s and returns it unchanged", async (_label, name) => {
    const own = await createQueue(target.client, target.name());
    await target.client.send(new SendMessageCommand({ QueueUrl: own, MessageBody: "ok", MessageAttributes: { [name]: str("v") } }));
    const got = await receiveOne(target.client, own, { messageAttributeNames: ["All"] });
    expect(Object.keys(got.MessageAttributes ?? {})).toEqual([name]);
  });
});

// SQS developer guide, "Message attribute data types": String, Number, Binary, each optionally followed by
// a period and a custom label; validated V9 rejects `Invalid` and `Number.` + 256×L.
describe("message attribute values and data types", () => {
  // Recorded E11 `test_send_message_with_empty_string_attribute`.
  it("rejects an empty String value with the recorded message", async () => {
    await expectError(send({ ErrorDetails: str("") }), {
      ...INVALID,
      message: "Message (user) attribute 'ErrorDetails' must contain a non-empty value of type 'String'.",
    });
  });

  it("rejects an empty Binary value", async () => {
    await expectError(send({ empty: { DataType: "Binary", BinaryValue: new Uint8Array(0) } }), INVALID);
  });

  it.each([
    ["an unknown type (validated V9)", "Invalid"],
    ["an empty type", ""],
    ["a custom label of 256 characters (validated V9)", "Number." + "L".repeat(256)],
  ])("rejects %s", async (_label, dataType) => {
    await expectError(send({ a: str("1", dataType) }), INVALID);
  });

  it.each([["abc"], ["1e"], ["--1"], ["1.2.3"]])("rejects the Number value %j", async (value) => {
    await expectError(send({ n: str(value, "Number") }), INVALID);
  });

  // "Number: up to 38 digits of precision, between 10^-128 and 10^+126".
  it.each([["0"], ["-12.5"], ["12345678901234567890123456789012345678"]])("accepts the Number value %j", async (value) => {
    const sent = await send({ n: str(value, "Number") });
    expect(sent.MD5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
  });

  // Validated V8 `test_invalid_string_attributes_cause_invalid_parameter_value_error`: InvalidParameterValue,
  // not the InvalidMessageContents a body gets.
  it.each([["U+0008", "a\u0008"], ["U+000B", "a\u000b"]])("rejects %s in a String value with InvalidParameterValue", async (_l, value) => {
    await expectError(send({ s: str(value) }), INVALID);
  });

  it("keeps arbitrary Binary bytes, including 0x00 and 0xFF, byte-exact", async () => {
    const own = await createQueue(target.client, target.name());
    const bytes = Uint8Array.from([0, 1, 2, 127, 128, 200, 254, 255, 0]);
    await target.client.send(
      new SendMessageCommand({ QueueUrl: own, MessageBody: "bin", MessageAttributes: { raw: { DataType: "Binary", BinaryValue: bytes } } }),
    );
    const got = await receiveOne(target.client, own, { messageAttributeNames: ["raw"] });
    expect(got.MessageAttributes?.raw).toEqual({ DataType: "Binary", BinaryValue: bytes });
  });
});
