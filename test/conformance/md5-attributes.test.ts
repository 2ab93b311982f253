import { SendMessageBatchCommand, SendMessageCommand, type MessageAttributeValue } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createQueue, receiveOne } from "../support/messages.js";
import { createTarget, type SqsTarget } from "../support/target.js";

let target: SqsTarget;
beforeAll(async () => {
  target = await createTarget();
});
afterAll(() => target.close());

const utf8 = (text: string) => new TextEncoder().encode(text);
const str = (StringValue: string, DataType = "String"): MessageAttributeValue => ({ DataType, StringValue });
const bin = (BinaryValue: Uint8Array, DataType = "Binary"): MessageAttributeValue => ({ DataType, BinaryValue });
/** A 1×1 GIF, base64 `R0lGODlhAQABAAAAACw=`. */
const GIF = Uint8Array.from(Buffer.from("R0lGODlhAQABAAAAACw=", "base64"));

/**
 * SQS developer guide, "Calculating the MD5 message digest for message attributes". The first rows are
 * AWS-recorded (recorded-errors F4, snapshot `test_receive_message_attribute_names_filters` and the
 * validated `test_sqs_message_attrs_md5` family) or AWS's own samples (as reproduced in
 * ydb-platform/ydb's `AttributesMD5Test`: AmazonSampleWithString, AmazonSampleWithBinary). The custom-type rows were
 * computed with an independent Python implementation that reproduces every recorded row. SDK v3 checks
 * only body MD5s, so the attribute MD5 must be right on its own: the Java SDK and others reject a wrong one.
 */
const VECTORS: [string, Record<string, MessageAttributeValue>, string][] = [
  ["recorded {Foo: String Bar}", { Foo: str("Bar") }, "ae7155c6026991b6d54b11589678bf9c"],
  ["recorded three Strings", { "Help.Me": str("Me"), Hello: str("There"), General: str("Kenobi") }, "4c360f3fdafd970e05fae2f149d997f5"],
  ["recorded {MyAttribute: String foobar}", { MyAttribute: str("foobar") }, "adb59cd4678ea5a855436b949cd07ab6"],
  ["recorded Number", { timestamp: str("1493147359900", "Number") }, "235c5c510d26fb653d073faed50ae77c"],
  [
    "recorded Binary",
    { attr1: bin(utf8("traceparent\x1e00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01")) },
    "8cbe4db156db8a94db8b801b7addb984",
  ],
  [
    "AWS sample, two Strings sent unsorted",
    { test_attribute_name_2: str("test_attribute_value_2"), test_attribute_name_1: str("test_attribute_value_1") },
    "d53f3b558fe951154770f25cb63dbba9",
  ],
  ["AWS sample, Binary", { test_attribute_name: bin(utf8("test_attribute_value")) }, "23f6bd27ea87aab7dfeadcc9aebee495"],
  ["custom String.json", { payload: str('{"a":1}', "String.json") }, "65202965ba2525eae7e72bd17db3914f"],
  ["custom Number.int", { count: str("42", "Number.int") }, "1e9b7ed68a1fc24c052ff8db3df46449"],
  ["custom Binary.gif", { pixel: bin(GIF, "Binary.gif") }, "5633dd0e818f9f7892c480cc49e0620f"],
  [
    "all three custom types together",
    { payload: str('{"a":1}', "String.json"), count: str("42", "Number.int"), pixel: bin(GIF, "Binary.gif") },
    "63fa8f2c28277e7c9336c4e5424e55ff",
  ],
  ["a multi-byte String value", { greeting: str("héllo wörld 🎉") }, "4e5ba5523089a220912ec5a3f4ad3314"],
];

describe("MD5OfMessageAttributes", () => {
  it.each(VECTORS)("%s: send and receive give the expected digest and the attributes intact", async (_label, attributes, md5) => {
    const url = await createQueue(target.client, target.name());
    const sent = await target.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "body", MessageAttributes: attributes }));
    expect(sent.MD5OfMessageAttributes).toBe(md5);
    const got = await receiveOne(target.client, url, { messageAttributeNames: ["All"] });
    expect(got.MD5OfMessageAttributes).toBe(md5);
    expect(got.MessageAttributes).toEqual(attributes);
  });

  it("gives each SendMessageBatch entry its own digest, and none to an entry without attributes", async () => {
    const url = await createQueue(target.client, target.name());
    const out = await target.client.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: "foo", MessageBody: "a", MessageAttributes: { Foo: str("Bar") } },
          { Id: "plain", MessageBody: "b" },
          { Id: "number", MessageBody: "c", MessageAttributes: { timestamp: str("1493147359900", "Number") } },
        ],
      }),
    );
    const byId = Object.fromEntries((out.Successful ?? []).map((e) => [e.Id, e.MD5OfMessageAttributes]));
    expect(byId).toEqual({ foo: "ae7155c6026991b6d54b11589678bf9c", plain: undefined, number: "235c5c510d26fb653d073faed50ae77c" });
  });
});

// ReceiveMessage API reference, MessageAttributeNames; recorded-errors F3, snapshot
// `test_receive_message_message_attribute_names_filters`: the message carries Help.Me, Hello and General,
// and the MD5 covers only the attributes returned.
describe("MessageAttributeNames filter on receive", () => {
  let url: string;
  beforeAll(async () => {
    url = await createQueue(target.client, target.name());
    await target.client.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: "filtered",
        MessageAttributes: { "Help.Me": str("Me"), Hello: str("There"), General: str("Kenobi") },
      }),
    );
  });

  it.each([
    [["All"], ["General", "Hello", "Help.Me"], "4c360f3fdafd970e05fae2f149d997f5"],
    [["*"], ["General", "Hello", "Help.Me"], "4c360f3fdafd970e05fae2f149d997f5"],
    [[".*"], ["General", "Hello", "Help.Me"], "4c360f3fdafd970e05fae2f149d997f5"],
    [["Hello", "General"], ["General", "Hello"], "fca026605781cb4126a1e9044df24232"],
    [["Foo", "Hello"], ["Hello"], "a311262e065454b75da111d535b8dacd"],
    [["Hel.*"], ["Hello", "Help.Me"], "83fee93c1bcd8b9a5a923ffacdc636c7"],
  ])("%j returns %j with the MD5 of that subset", async (filter, names, md5) => {
    const got = await receiveOne(target.client, url, { messageAttributeNames: filter });
    expect(Object.keys(got.MessageAttributes ?? {}).sort()).toEqual(names);
    expect(got.MD5OfMessageAttributes).toBe(md5);
  });

  it.each([[[]], [["Foo", "Help"]], [["AWS."]], [["..foo"]]])("%j returns no attributes and no MD5, without an error", async (filter) => {
    const got = await receiveOne(target.client, url, { messageAttributeNames: filter });
    expect(got.Body).toBe("filtered");
    expect(got.MessageAttributes).toBeUndefined();
    expect(got.MD5OfMessageAttributes).toBeUndefined();
  });

  it("returns no attributes and no MD5 when the filter is left out", async () => {
    const got = await receiveOne(target.client, url);
    expect(got.MessageAttributes).toBeUndefined();
    expect(got.MD5OfMessageAttributes).toBeUndefined();
  });
});
