import { describe, expect, it } from "vitest";
import { ExpiringMap } from "../../src/emulator/expiring-map.js";
import { buildStoredMessage, type StoredMessage } from "../../src/emulator/message.js";
import { restoreMessage, saveMessage } from "../../src/emulator/persistence-message.js";

/** A message with every field set, so a field the converters drop shows up as a difference. */
function fullMessage(state: StoredMessage["state"]): StoredMessage {
  return buildStoredMessage(
    {
      id: "id-1",
      body: "körper ✓",
      md5OfBody: "b",
      attributes: { s: { DataType: "String", StringValue: "v" } },
      md5OfMessageAttributes: "a",
      systemAttributes: { AWSTraceHeader: { DataType: "String", StringValue: "Root=1-2-3" } },
      md5OfMessageSystemAttributes: "s",
      bytes: 42,
      senderId: "AIDA",
      sentAt: 1_000,
      groupId: "g",
      dedupId: "d",
    },
    {
      enqueuedAt: 2_000,
      sequenceNumber: "18000000000000000007",
      seq: 7n,
      state,
      visibleAt: 9_000,
      receiveCount: 3,
      firstReceiveAt: 3_000,
      receiveSeq: 5,
      timerVersion: 4,
      deadLetterSourceArn: "arn:aws:sqs:us-east-1:000000000000:src",
    },
  );
}

// Persistence (`--data DIR`) must give back the message SQS promised to keep: its id, body,
// attributes, system attributes, receive count and first-receive time (ReceiveMessage API reference,
// MessageSystemAttributeNames), through the JSON the log and snapshot hold.
describe("saving and restoring a message", () => {
  it("keeps every field but the in-memory ones, through JSON", () => {
    const original = fullMessage("visible");
    const restored = restoreMessage(JSON.parse(JSON.stringify(saveMessage(original))));
    const { state, visibleAt, timerVersion, ...kept } = original;
    const { state: s2, visibleAt: v2, timerVersion: t2, ...back } = restored;
    expect(back).toEqual(kept);
    expect(Object.keys(restored).sort()).toEqual(Object.keys(original).sort());
    expect([state, s2, timerVersion, t2, visibleAt, v2]).toEqual(["visible", "visible", 4, 0, 9_000, 2_000]);
  });

  it("keeps a delay's end, so the message stays invisible until then", () => {
    const saved = saveMessage(fullMessage("delayed"));
    expect(saved.delayedUntil).toBe(9_000);
    expect(restoreMessage(JSON.parse(JSON.stringify(saved))).visibleAt).toBe(9_000);
  });
});

// The FIFO deduplication cache and the ReceiveRequestAttemptId cache both hold an entry for a fixed
// window (SQS developer guide, "Exactly-once processing"; ReceiveMessage API reference,
// ReceiveRequestAttemptId: 5 minutes).
describe("ExpiringMap", () => {
  const entry = (key: string, expiresAt: number, value = key) => ({ key, expiresAt, value });

  it("answers an entry until it expires, and not after", () => {
    const map = new ExpiringMap<ReturnType<typeof entry>>();
    map.add(entry("a", 100));
    map.add(entry("b", 200));
    expect(map.get("a", 99)?.value).toBe("a");
    expect(map.get("a", 100)).toBeUndefined();
    expect(map.get("b", 150)?.value).toBe("b");
  });

  it("lets a replacement outlive the entry it replaced, and forgets deleted and cleared keys", () => {
    const map = new ExpiringMap<ReturnType<typeof entry>>();
    map.add(entry("a", 100, "old"));
    map.add(entry("a", 300, "new"));
    expect(map.get("a", 150)?.value).toBe("new");
    map.add(entry("b", 400));
    map.delete("b");
    expect(map.get("b", 160)).toBeUndefined();
    map.clear();
    expect(map.get("a", 170)).toBeUndefined();
  });
});
