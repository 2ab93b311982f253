/**
 * Queue Policy evaluation (SQS developer guide, "Using custom policies with the Amazon SQS access policy
 * language"): a queue whose policy allows only a role refuses others, and a changed policy applies to
 * the very next request. The parsed policy is cached per queue; these cases prove the cache changes
 * nothing but the work done.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { VirtualClock } from "../../src/clock/index.js";
import { Emulator, type RequestContext } from "../../src/emulator/index.js";
import { createJournal } from "../../src/journal/index.js";

const ACCOUNT = "000000000000";
const ROLE = `arn:aws:iam::${ACCOUNT}:role/delivery`;
const rootCtx: RequestContext = { baseUrl: "http://h", principal: { arn: `arn:aws:iam::${ACCOUNT}:root` } };
const roleCtx: RequestContext = {
  baseUrl: "http://h",
  principal: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/delivery/s`, roleArn: ROLE, userId: "AROAEXAMPLE:s" },
};

function policy(effect: "Allow" | "Deny"): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: effect, Principal: { AWS: ROLE }, Action: "sqs:SendMessage", Resource: "*" }] });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("queue Policy evaluation", () => {
  it("parses a policy once for many requests, and follows a changed policy on the next request", async () => {
    const clock = new VirtualClock();
    const emulator = new Emulator({ clock, journal: createJournal(clock) });
    const allow = policy("Allow");
    const { QueueUrl } = (await emulator.handle("CreateQueue", { QueueName: "q", Attributes: { Policy: allow } }, rootCtx)) as { QueueUrl: string };
    const parse = vi.spyOn(JSON, "parse");
    for (let i = 0; i < 5; i++) await emulator.handle("SendMessage", { QueueUrl, MessageBody: `m${i}` }, roleCtx);
    expect(parse.mock.calls.filter(([text]) => text === allow)).toHaveLength(1);

    await emulator.handle("SetQueueAttributes", { QueueUrl, Attributes: { Policy: policy("Deny") } }, rootCtx);
    await expect(emulator.handle("SendMessage", { QueueUrl, MessageBody: "denied" }, roleCtx)).rejects.toMatchObject({ code: "AccessDenied" });
    await emulator.handle("SetQueueAttributes", { QueueUrl, Attributes: { Policy: "" } }, rootCtx);
    // With the Policy removed the queue admits every caller of its own account again.
    await expect(emulator.handle("SendMessage", { QueueUrl, MessageBody: "open" }, roleCtx)).resolves.toHaveProperty("MessageId");
  });
});
