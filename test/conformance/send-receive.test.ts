import { ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createQueue, expectError, md5Hex, receiveOne } from "../support/messages.js";
import { createTarget, type SqsTarget } from "../support/target.js";

/** Cases that read the virtual clock skip themselves against an external endpoint. */
const external = !!process.env.SQSRIG_CONFORMANCE_ENDPOINT;

let target: SqsTarget;
beforeAll(async () => {
  target = await createTarget();
});
afterAll(() => target.close());

// SendMessage / ReceiveMessage API reference; MD5 values from recorded-errors F4 (MD5OfMessageBody table).
// SDK v3 hashes the body it sent and the body it received and throws on a mismatch
// (middleware-sdk-sqs), so every success here also proves the emulator hashed the UTF-8 bytes.
describe("message body round trip", () => {
  it("returns an ASCII body with the recorded MD5, and no attribute MD5s or SequenceNumber", async () => {
    const url = await createQueue(target.client, target.name());
    const sent = await target.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "foobar" }));
    expect(sent.MD5OfMessageBody).toBe("3858f62230ac3c915f300c664312c63f");
    // recorded-errors F6: a standard-queue send has no SequenceNumber; attribute MD5s only when sent.
    expect(sent.SequenceNumber).toBeUndefined();
    expect(sent.MD5OfMessageAttributes).toBeUndefined();
    expect(sent.MD5OfMessageSystemAttributes).toBeUndefined();
    const got = await receiveOne(target.client, url);
    expect(got).toMatchObject({ MessageId: sent.MessageId, Body: "foobar", MD5OfBody: "3858f62230ac3c915f300c664312c63f" });
    expect(got.MD5OfMessageAttributes).toBeUndefined();
    expect(got.MessageAttributes).toBeUndefined();
  });

  it("keeps multi-byte characters and emoji byte-exact", async () => {
    const url = await createQueue(target.client, target.name());
    const body = "héllo wörld — 日本語テキスト — 🎉👩‍💻 — Ελληνικά — עברית";
    const sent = await target.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
    expect(sent.MD5OfMessageBody).toBe(md5Hex(body));
    const got = await receiveOne(target.client, url);
    expect(got.Body).toBe(body);
    expect(got.MD5OfBody).toBe(md5Hex(body));
  });

  it("keeps \\r\\n, \\t and surrounding whitespace unchanged", async () => {
    const url = await createQueue(target.client, target.name());
    const body = "  line one\r\nline two\n\tindented\r\n  ";
    const sent = await target.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
    expect(sent.MD5OfMessageBody).toBe(md5Hex(body));
    expect((await receiveOne(target.client, url)).Body).toBe(body);
  });

  // SendMessage API reference, MessageBody: allowed are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD |
  // #x10000 to #x10FFFF. Each range boundary must pass.
  it("accepts every boundary of the allowed character ranges", async () => {
    const url = await createQueue(target.client, target.name());
    const body = ["\u0009", "\u000a", "\u000d", "\u0020", "\ud7ff", "\ue000", "\ufffd", "\u{10000}", "\u{10ffff}"].join("|");
    const sent = await target.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
    expect(sent.MD5OfMessageBody).toBe(md5Hex(body));
    expect((await receiveOne(target.client, url)).Body).toBe(body);
  });

  // Recorded `test_receive_empty_queue` (recorded-errors F6): no `Messages` key at all.
  it("answers an empty receive without a Messages key", async () => {
    const url = await createQueue(target.client, target.name());
    const out = await target.client.send(new ReceiveMessageCommand({ QueueUrl: url }));
    expect(out.Messages).toBeUndefined();
  });
});

// SendMessage API reference, MessageBody; validated `test_send_message_with_invalid_payload_characters`
// (chr(0), chr(8), chr(19), chr(65535)) gives InvalidMessageContents. AWS recorded no message text.
describe("body characters outside the allowed set", () => {
  it.each([
    ["U+0000", "a\u0000b"],
    ["U+0008", "a\u0008b"],
    ["U+0013", "a\u0013b"],
    ["U+001F", "\u001f"],
    ["U+FFFE", "a\ufffe"],
    ["U+FFFF", "a\uffffb"],
    ["a lone high surrogate", "a\ud800b"],
    ["a lone low surrogate", "\udc00"],
  ])("rejects %s with InvalidMessageContents", async (_label, body) => {
    const url = await createQueue(target.client, target.name());
    await expectError(target.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body })), {
      name: "InvalidMessageContents",
      code: "InvalidMessageContents",
    });
  });
});

// ReceiveMessage API reference, MessageSystemAttributeNames; recorded-errors F2 (AWS-recorded key sets).
describe("message system attributes", () => {
  const STANDARD_KEYS = ["ApproximateFirstReceiveTimestamp", "ApproximateReceiveCount", "SenderId", "SentTimestamp"];

  it.each([
    ["MessageSystemAttributeNames", { systemNames: ["All"] }],
    ["the deprecated AttributeNames", { attributeNames: ["All"] }],
  ])("All via %s gives exactly the four standard-queue attributes", async (_how, options) => {
    const url = await createQueue(target.client, target.name());
    await target.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "m" }));
    const got = await receiveOne(target.client, url, options);
    expect(Object.keys(got.Attributes ?? {}).sort()).toEqual(STANDARD_KEYS);
    expect(got.Attributes?.ApproximateReceiveCount).toBe("1");
    expect(got.Attributes?.SenderId).toMatch(/\S/);
    // Timestamps are epoch milliseconds as integer strings (validated: `float(x).is_integer()`).
    expect(got.Attributes?.SentTimestamp).toMatch(/^\d{13}$/);
    expect(got.Attributes?.ApproximateFirstReceiveTimestamp).toMatch(/^\d{13}$/);
  });

  it.skipIf(external)("stamps SentTimestamp at the send and keeps the first receive time while the count grows", async () => {
    const url = await createQueue(target.client, target.name());
    const sentAt = target.clock!.now();
    await target.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "m" }));
    await target.advance(2_000);
    const firstAt = target.clock!.now();
    const first = await receiveOne(target.client, url, { systemNames: ["All"] });
    await target.advance(5_000);
    const second = await receiveOne(target.client, url, { systemNames: ["All"] });
    const third = await receiveOne(target.client, url, { systemNames: ["All"] });
    expect(first.Attributes).toMatchObject({
      SentTimestamp: String(sentAt),
      ApproximateFirstReceiveTimestamp: String(firstAt),
      ApproximateReceiveCount: "1",
    });
    expect(second.Attributes).toMatchObject({ ApproximateFirstReceiveTimestamp: String(firstAt), ApproximateReceiveCount: "2" });
    expect(third.Attributes?.ApproximateReceiveCount).toBe("3");
    // A new receipt handle on every receive (recorded-errors F7).
    expect(new Set([first.ReceiptHandle, second.ReceiptHandle, third.ReceiptHandle]).size).toBe(3);
  });

  it("returns only the requested names: SenderId and SequenceNumber on a standard queue give SenderId alone", async () => {
    const url = await createQueue(target.client, target.name());
    await target.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "m" }));
    const got = await receiveOne(target.client, url, { attributeNames: ["SenderId", "SequenceNumber"] });
    expect(Object.keys(got.Attributes ?? {})).toEqual(["SenderId"]);
  });

  it("returns no Attributes when none are requested", async () => {
    const url = await createQueue(target.client, target.name());
    await target.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "m" }));
    expect((await receiveOne(target.client, url)).Attributes).toBeUndefined();
  });

  // Recorded `test_message_system_attribute_names_with_attribute_names[sqs]`: on the JSON protocol the two
  // lists are united (the query protocol answered with AttributeNames alone).
  it("unites MessageSystemAttributeNames All with AttributeNames SenderId on the JSON protocol", async () => {
    const url = await createQueue(target.client, target.name());
    await target.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "m" }));
    const got = await receiveOne(target.client, url, { systemNames: ["All"], attributeNames: ["SenderId"] });
    expect(Object.keys(got.Attributes ?? {}).sort()).toEqual(STANDARD_KEYS);
  });

  // SendMessage API reference, MessageSystemAttributes (AWSTraceHeader only); recorded-errors F4: the
  // validated MD5OfMessageSystemAttributes vector, and `test_system_attributes_have_no_effect_on_attr_md5`.
  it("hashes AWSTraceHeader into MD5OfMessageSystemAttributes only, and returns it on receive", async () => {
    const url = await createQueue(target.client, target.name());
    const trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
    const sent = await target.client.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: "traced",
        MessageAttributes: { Foo: { DataType: "String", StringValue: "Bar" } },
        MessageSystemAttributes: { AWSTraceHeader: { DataType: "String", StringValue: trace } },
      }),
    );
    expect(sent.MD5OfMessageSystemAttributes).toBe("5ae4d5d7636402d80f4eb6d213245a88");
    expect(sent.MD5OfMessageAttributes).toBe("ae7155c6026991b6d54b11589678bf9c");
    const got = await receiveOne(target.client, url, { systemNames: ["All"], messageAttributeNames: ["All"] });
    expect(got.Attributes?.AWSTraceHeader).toBe(trace);
    expect(got.MD5OfMessageAttributes).toBe("ae7155c6026991b6d54b11589678bf9c");
    expect(Object.keys(got.Attributes ?? {}).sort()).toEqual(["AWSTraceHeader", ...STANDARD_KEYS].sort());
  });
});
