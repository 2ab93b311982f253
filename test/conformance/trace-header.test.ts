import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createQueue } from "../support/messages.js";
import { createTarget, type SqsTarget } from "../support/target.js";
import { postJson } from "../support/wire.js";

/**
 * AWS X-Ray developer guide, "Amazon SQS and AWS X-Ray": the `X-Amzn-Trace-Id` HTTP header "corresponds
 * to all messages included in a SendMessage or SendMessageBatch request", and when a message also sets
 * the `AWSTraceHeader` system attribute, "the message system attribute overrides the HTTP trace
 * header". Recorded against AWS: LocalStack `test_aws_trace_header_propagation` (recorded-errors F2).
 */
const TRACE = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
const OWN = "Root=1-67891233-abcdef012345678912345678;Parent=463ac35c9f6413ad;Sampled=1";

let target: SqsTarget;
beforeAll(async () => {
  target = await createTarget();
});
afterAll(() => target.close());

async function receiveTraces(url: string): Promise<Record<string, string | undefined>> {
  const got = await target.client.send(
    new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["AWSTraceHeader"] }),
  );
  return Object.fromEntries((got.Messages ?? []).map((m) => [m.Body!, m.Attributes?.AWSTraceHeader]));
}

describe("X-Amzn-Trace-Id on send", () => {
  it("becomes the AWSTraceHeader system attribute of a SendMessage", async () => {
    const url = await createQueue(target.client, target.name());
    const sent = await postJson(target.endpoint, "SendMessage", { QueueUrl: url, MessageBody: "traced" }, { "X-Amzn-Trace-Id": TRACE });
    expect(sent.status).toBe(200);
    // The MD5 of the system attributes, as AWS computes it for this header (recorded-errors F4 table).
    expect(sent.json?.MD5OfMessageSystemAttributes).toBe("5ae4d5d7636402d80f4eb6d213245a88");
    expect(await receiveTraces(url)).toEqual({ traced: TRACE });
  });

  it("applies to every entry of a SendMessageBatch, except one that sets its own AWSTraceHeader", async () => {
    const url = await createQueue(target.client, target.name());
    const sent = await postJson(
      target.endpoint,
      "SendMessageBatch",
      {
        QueueUrl: url,
        Entries: [
          { Id: "a", MessageBody: "a" },
          { Id: "b", MessageBody: "b" },
          { Id: "own", MessageBody: "own", MessageSystemAttributes: { AWSTraceHeader: { DataType: "String", StringValue: OWN } } },
        ],
      },
      { "X-Amzn-Trace-Id": TRACE },
    );
    expect(sent.status).toBe(200);
    expect((sent.json?.Successful as unknown[]).length).toBe(3);
    expect(await receiveTraces(url)).toEqual({ a: TRACE, b: TRACE, own: OWN });
  });

  it("adds nothing when the request carries no trace header", async () => {
    const url = await createQueue(target.client, target.name());
    const sent = await postJson(target.endpoint, "SendMessage", { QueueUrl: url, MessageBody: "plain" });
    expect(sent.json?.MD5OfMessageSystemAttributes).toBeUndefined();
    expect(await receiveTraces(url)).toEqual({ plain: undefined });
  });
});
