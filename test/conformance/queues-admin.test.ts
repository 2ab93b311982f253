/**
 * Queue administration through SDK v3: tags, AddPermission/RemovePermission, PurgeQueue, DeleteQueue
 * and RedrivePolicy validation. Exact texts come from AWS-recorded snapshots
 * (notes/sqs-recorded-errors.md), cited per test.
 */
import {
  AddPermissionCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  RemovePermissionCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  TagQueueCommand,
  UntagQueueCommand,
} from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failureOf } from "../support/failure.js";
import { createTarget, type SqsTarget } from "../support/target.js";
import { postJson } from "../support/wire.js";

let target: SqsTarget;
beforeAll(async () => {
  target = await createTarget();
});
afterAll(() => target.close());

async function create(name: string, Attributes?: Record<string, string>, tags?: Record<string, string>): Promise<string> {
  const { QueueUrl } = await target.client.send(new CreateQueueCommand({ QueueName: name, Attributes, tags }));
  return QueueUrl!;
}

async function arnOf(QueueUrl: string): Promise<string> {
  const out = await target.client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
  return out.Attributes!.QueueArn!;
}

async function policyOf(QueueUrl: string): Promise<Record<string, unknown> | undefined> {
  const out = await target.client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["Policy"] }));
  return out.Attributes?.Policy ? (JSON.parse(out.Attributes.Policy) as Record<string, unknown>) : undefined;
}

describe("tags", () => {
  // Validated tests test_tag_queue_overwrites_existing_tag, test_untag_queue_ignores_non_existing_tag,
  // test_tags_case_sensitive; recorded F6: an untagged queue answers without a Tags key.
  it("tags at creation, overwrites, keeps case, allows empty values and ignores unknown keys on untag", async () => {
    const url = await create(target.name(), undefined, { team: "core", Env: "dev" });
    expect((await target.client.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags).toEqual({ team: "core", Env: "dev" });
    await target.client.send(new TagQueueCommand({ QueueUrl: url, Tags: { team: "edge", env: "", MyTag: "1", mytag: "2" } }));
    expect((await target.client.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags).toEqual({ team: "edge", Env: "dev", env: "", MyTag: "1", mytag: "2" });
    await target.client.send(new UntagQueueCommand({ QueueUrl: url, TagKeys: ["team", "Env", "env", "MyTag", "mytag", "never-set"] }));
    const raw = await postJson(target.endpoint, "ListQueueTags", { QueueUrl: url });
    expect(raw.status).toBe(200);
    expect(raw.json).toEqual({});
  });
});

describe("AddPermission and RemovePermission", () => {
  // Snapshot test_sqs_permission_lifecycle (notes F9, E36, E37).
  it("builds the recorded policy shape, appends labels and removes the Policy with its last statement", async () => {
    const url = await create(target.name());
    const arn = await arnOf(url);
    await target.client.send(new AddPermissionCommand({ QueueUrl: url, Label: "crossaccountpermission", AWSAccountIds: ["111111111111"], Actions: ["ReceiveMessage"] }));
    const first = await policyOf(url);
    expect(first).toMatchObject({
      Version: "2008-10-17",
      Id: `${arn}/SQSDefaultPolicy`,
      Statement: [
        {
          Sid: "crossaccountpermission",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::111111111111:root" },
          Action: "SQS:ReceiveMessage",
          Resource: arn,
        },
      ],
    });
    await target.client.send(
      new AddPermissionCommand({ QueueUrl: url, Label: "second", AWSAccountIds: ["111111111111", "222222222222"], Actions: ["SendMessage", "DeleteMessage"] }),
    );
    const both = (await policyOf(url))!.Statement as Array<Record<string, unknown>>;
    expect(both).toHaveLength(2);
    expect(both[1]).toMatchObject({
      Sid: "second",
      Principal: { AWS: ["arn:aws:iam::111111111111:root", "arn:aws:iam::222222222222:root"] },
      Action: ["SQS:SendMessage", "SQS:DeleteMessage"],
    });
    // The owner keeps using its own queue: a queue policy adds access, it does not take it away.
    await target.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "owner" }));

    expect(await failureOf(target.client.send(new AddPermissionCommand({ QueueUrl: url, Label: "crossaccountpermission", AWSAccountIds: ["333333333333"], Actions: ["SendMessage"] })))).toMatchObject({
      // The SDK names unmodelled errors by their code; the wire __type is checked in query-protocol.test.ts.
      code: "InvalidParameterValue",
      status: 400,
      message: "Value crossaccountpermission for parameter Label is invalid. Reason: Already exists.",
    });
    expect(await failureOf(target.client.send(new RemovePermissionCommand({ QueueUrl: url, Label: "crossaccountpermission2" })))).toMatchObject({
      // The SDK names unmodelled errors by their code; the wire __type is checked in query-protocol.test.ts.
      code: "InvalidParameterValue",
      status: 400,
      message: "Value crossaccountpermission2 for parameter Label is invalid. Reason: can't find label.",
    });

    await target.client.send(new RemovePermissionCommand({ QueueUrl: url, Label: "crossaccountpermission" }));
    expect(((await policyOf(url))!.Statement as unknown[]).length).toBe(1);
    await target.client.send(new RemovePermissionCommand({ QueueUrl: url, Label: "second" }));
    const raw = await postJson(target.endpoint, "GetQueueAttributes", { QueueUrl: url, AttributeNames: ["Policy"] });
    expect(raw.json).toEqual({});
  });
});

describe("PurgeQueue", () => {
  // Snapshot test_successive_purge_calls_fail (E22): 403 as the SDK sees it (it sends x-amzn-query-mode).
  it("allows one purge per 60 seconds", async (ctx) => {
    if (!target.clock) return ctx.skip();
    const name = target.name();
    const url = await create(name);
    for (const body of ["a", "b"]) await target.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
    await target.client.send(new PurgeQueueCommand({ QueueUrl: url }));
    expect((await target.client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }))).Messages).toBeUndefined();
    await target.advance(59_000);
    expect(await failureOf(target.client.send(new PurgeQueueCommand({ QueueUrl: url })))).toEqual({
      name: "PurgeQueueInProgress",
      code: "AWS.SimpleQueueService.PurgeQueueInProgress",
      status: 403,
      message: `Only one PurgeQueue operation on ${name} is allowed every 60 seconds.`,
    });
    await target.advance(1_000);
    await target.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "c" }));
    await target.client.send(new PurgeQueueCommand({ QueueUrl: url }));
    expect((await target.client.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toBeUndefined();
  });
});

describe("DeleteQueue", () => {
  // DeleteQueue API reference; snapshot test_non_existent_queue key queue-does-not-exist (E23).
  it("makes every later action on the queue answer QueueDoesNotExist", async () => {
    const name = target.name();
    const url = await create(name);
    await target.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "gone" }));
    const got = await target.client.send(new ReceiveMessageCommand({ QueueUrl: url }));
    const handle = got.Messages![0]!.ReceiptHandle!;
    await target.client.send(new DeleteQueueCommand({ QueueUrl: url }));
    const calls: Array<Promise<unknown>> = [
      target.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "x" })),
      target.client.send(new ReceiveMessageCommand({ QueueUrl: url })),
      target.client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: handle })),
      target.client.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: handle, VisibilityTimeout: 5 })),
      target.client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["All"] })),
      target.client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { DelaySeconds: "1" } })),
      target.client.send(new PurgeQueueCommand({ QueueUrl: url })),
      target.client.send(new TagQueueCommand({ QueueUrl: url, Tags: { a: "b" } })),
      target.client.send(new ListQueueTagsCommand({ QueueUrl: url })),
      target.client.send(new DeleteQueueCommand({ QueueUrl: url })),
      target.client.send(new GetQueueUrlCommand({ QueueName: name })),
    ];
    for (const call of calls) {
      expect(await failureOf(call)).toEqual({ name: "QueueDoesNotExist", code: "AWS.SimpleQueueService.NonExistentQueue", status: 400, message: "The specified queue does not exist." });
    }
    const listed = await target.client.send(new ListQueuesCommand({ QueueNamePrefix: name }));
    expect(listed.QueueUrls).toBeUndefined();
  });
});

describe("RedrivePolicy validation", () => {
  // Snapshot test_invalid_dead_letter_arn_rejected_before_lookup (E35): the policy is echoed as sent.
  it("refuses a malformed deadLetterTargetArn, echoing the policy as sent", async () => {
    const policy = '{"deadLetterTargetArn": "dummy", "maxReceiveCount": 42}';
    expect(await failureOf(create(target.name(), { RedrivePolicy: policy }))).toMatchObject({
      // The SDK names unmodelled errors by their code; the wire __type is checked in query-protocol.test.ts.
      code: "InvalidParameterValue",
      status: 400,
      message: `Value ${policy} for parameter RedrivePolicy is invalid. Reason: Invalid value for deadLetterTargetArn.`,
    });
  });

  // Validated test_redrive_policy_attribute_validity (V14) gives the code; the texts were not recorded.
  it("refuses a missing DLQ, a DLQ of the other type, and maxReceiveCount outside 1..1000", async () => {
    const standardDlq = await arnOf(await create(target.name("dlq")));
    const fifoDlq = await arnOf(await create(target.name("dlq") + ".fifo", { FifoQueue: "true" }));
    const missing = `arn:aws:sqs:us-east-1:000000000000:${target.name("missing")}`;
    const url = await create(target.name());
    const fifoUrl = await create(target.name() + ".fifo", { FifoQueue: "true" });
    const cases: Array<[string, Record<string, unknown>]> = [
      [url, { deadLetterTargetArn: missing, maxReceiveCount: 3 }],
      [url, { deadLetterTargetArn: fifoDlq, maxReceiveCount: 3 }],
      [fifoUrl, { deadLetterTargetArn: standardDlq, maxReceiveCount: 3 }],
      [url, { deadLetterTargetArn: standardDlq, maxReceiveCount: 0 }],
      [url, { deadLetterTargetArn: standardDlq, maxReceiveCount: 1001 }],
      [url, { deadLetterTargetArn: standardDlq, maxReceiveCount: "invalid" }],
      [url, { deadLetterTargetArn: standardDlq }],
      [url, { maxReceiveCount: 3 }],
    ];
    for (const [QueueUrl, policy] of cases) {
      const RedrivePolicy = JSON.stringify(policy);
      const err = await failureOf(target.client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { RedrivePolicy } })));
      expect(err, RedrivePolicy).toMatchObject({ code: "InvalidParameterValue", status: 400 });
      expect(err.message, RedrivePolicy).toMatch(new RegExp(`^Value .+ for parameter RedrivePolicy is invalid\\. Reason: `));
    }
    // The edges of the range are accepted.
    for (const maxReceiveCount of [1, 1000]) {
      const RedrivePolicy = JSON.stringify({ deadLetterTargetArn: standardDlq, maxReceiveCount });
      await target.client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { RedrivePolicy } }));
    }
    const out = await target.client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["RedrivePolicy"] }));
    expect(JSON.parse(out.Attributes!.RedrivePolicy!)).toEqual({ deadLetterTargetArn: standardDlq, maxReceiveCount: 1000 });
  });
});
