/**
 * How each SQS action's input and output look on the query protocol wire (form-encoded requests, XML
 * responses). Member names are the AWS JSON 1.0 names the emulator core speaks; lists and maps carry
 * their query/XML names.
 *
 * Source: the Smithy model as shipped in `@aws-sdk/client-sqs` 3.1169 (`dist-es/schemas/schemas_0.js`,
 * `xmlName` + `xmlFlattened` traits), which covers all 23 actions. Cross-checked with the query-era
 * botocore model (boto/botocore `botocore/data/sqs/2012-11-05/service-2.json` @215ec42, `locationName`
 * + `flattened`); the current JSON-protocol botocore model drops the locationNames. Every SQS list and
 * map is flattened, so `Entries` travels as `SendMessageBatchRequestEntry.N.*`, never `.member.N`.
 */

export type QueryShape =
  | { readonly kind: "string" }
  | { readonly kind: "integer" }
  | { readonly kind: "boolean" }
  /** A flattened list: item N is `<name>.N` in a request and a repeated `<name>` element in XML. */
  | { readonly kind: "list"; readonly name: string; readonly member: QueryShape }
  /** A flattened map: entry N is `<name>.N.<key>` / `<name>.N.<value>`. */
  | {
      readonly kind: "map";
      readonly name: string;
      readonly key: string;
      readonly value: string;
      readonly valueShape: QueryShape;
    }
  | { readonly kind: "structure"; readonly members: QueryMembers };

/** Members in model order, which is also the element order AWS writes. */
export type QueryMembers = Readonly<Record<string, QueryShape>>;

export interface QueryActionSchema {
  readonly input: QueryMembers;
  /** Absent for actions whose answer is only ResponseMetadata (no `…Result` element). */
  readonly output?: QueryMembers;
}

const string: QueryShape = { kind: "string" };
const integer: QueryShape = { kind: "integer" };
const boolean: QueryShape = { kind: "boolean" };
const list = (name: string, member: QueryShape = string): QueryShape => ({ kind: "list", name, member });
const map = (name: string, key: string, value: string, valueShape: QueryShape = string): QueryShape => ({
  kind: "map",
  name,
  key,
  value,
  valueShape,
});
const structure = (members: QueryMembers): QueryShape => ({ kind: "structure", members });

const queueAttributes = map("Attribute", "Name", "Value");
const tags = map("Tag", "Key", "Value");
const messageAttributeValue = structure({
  DataType: string,
  StringValue: string,
  BinaryValue: string, // base64 on both protocols, so the codec never decodes it
  StringListValues: list("StringListValue"),
  BinaryListValues: list("BinaryListValue"),
});
const messageAttributes = map("MessageAttribute", "Name", "Value", messageAttributeValue);
const messageSystemAttributes = map("MessageSystemAttribute", "Name", "Value", messageAttributeValue);
const batchErrors = list(
  "BatchResultErrorEntry",
  structure({ Id: string, SenderFault: boolean, Code: string, Message: string }),
);
const idOnly = structure({ Id: string });

export const QUERY_SCHEMA: Readonly<Record<string, QueryActionSchema>> = {
  AddPermission: {
    input: { QueueUrl: string, Label: string, AWSAccountIds: list("AWSAccountId"), Actions: list("ActionName") },
  },
  CancelMessageMoveTask: {
    input: { TaskHandle: string },
    output: { ApproximateNumberOfMessagesMoved: integer },
  },
  ChangeMessageVisibility: {
    input: { QueueUrl: string, ReceiptHandle: string, VisibilityTimeout: integer },
  },
  ChangeMessageVisibilityBatch: {
    input: {
      QueueUrl: string,
      Entries: list(
        "ChangeMessageVisibilityBatchRequestEntry",
        structure({ Id: string, ReceiptHandle: string, VisibilityTimeout: integer }),
      ),
    },
    output: { Successful: list("ChangeMessageVisibilityBatchResultEntry", idOnly), Failed: batchErrors },
  },
  CreateQueue: {
    // `tags` is lowercase in the model; on the wire it is still `Tag.N.Key`.
    input: { QueueName: string, Attributes: queueAttributes, tags },
    output: { QueueUrl: string },
  },
  DeleteMessage: {
    input: { QueueUrl: string, ReceiptHandle: string },
  },
  DeleteMessageBatch: {
    input: {
      QueueUrl: string,
      Entries: list("DeleteMessageBatchRequestEntry", structure({ Id: string, ReceiptHandle: string })),
    },
    output: { Successful: list("DeleteMessageBatchResultEntry", idOnly), Failed: batchErrors },
  },
  DeleteQueue: {
    input: { QueueUrl: string },
  },
  GetQueueAttributes: {
    input: { QueueUrl: string, AttributeNames: list("AttributeName") },
    output: { Attributes: queueAttributes },
  },
  GetQueueUrl: {
    input: { QueueName: string, QueueOwnerAWSAccountId: string },
    output: { QueueUrl: string },
  },
  ListDeadLetterSourceQueues: {
    input: { QueueUrl: string, NextToken: string, MaxResults: integer },
    output: { queueUrls: list("QueueUrl"), NextToken: string },
  },
  ListMessageMoveTasks: {
    input: { SourceArn: string, MaxResults: integer },
    output: {
      Results: list(
        "ListMessageMoveTasksResultEntry",
        structure({
          TaskHandle: string,
          Status: string,
          SourceArn: string,
          DestinationArn: string,
          MaxNumberOfMessagesPerSecond: integer,
          ApproximateNumberOfMessagesMoved: integer,
          ApproximateNumberOfMessagesToMove: integer,
          FailureReason: string,
          StartedTimestamp: integer,
        }),
      ),
    },
  },
  ListQueueTags: {
    input: { QueueUrl: string },
    output: { Tags: tags },
  },
  ListQueues: {
    input: { QueueNamePrefix: string, NextToken: string, MaxResults: integer },
    output: { QueueUrls: list("QueueUrl"), NextToken: string },
  },
  PurgeQueue: {
    input: { QueueUrl: string },
  },
  ReceiveMessage: {
    input: {
      QueueUrl: string,
      AttributeNames: list("AttributeName"),
      // The model gives MessageSystemAttributeNames the xmlName `AttributeName` too, so on this wire the
      // two are one parameter; it decodes as AttributeNames (the core treats both alike). The name below
      // is a lenient alias for clients that invent it; AWS's own serializers never send it.
      MessageSystemAttributeNames: list("MessageSystemAttributeName"),
      MessageAttributeNames: list("MessageAttributeName"),
      MaxNumberOfMessages: integer,
      VisibilityTimeout: integer,
      WaitTimeSeconds: integer,
      ReceiveRequestAttemptId: string,
    },
    output: {
      Messages: list(
        "Message",
        structure({
          MessageId: string,
          ReceiptHandle: string,
          MD5OfBody: string,
          Body: string,
          Attributes: queueAttributes,
          MD5OfMessageAttributes: string,
          MessageAttributes: messageAttributes,
        }),
      ),
    },
  },
  RemovePermission: {
    input: { QueueUrl: string, Label: string },
  },
  SendMessage: {
    input: {
      QueueUrl: string,
      MessageBody: string,
      DelaySeconds: integer,
      MessageAttributes: messageAttributes,
      MessageSystemAttributes: messageSystemAttributes,
      MessageDeduplicationId: string,
      MessageGroupId: string,
    },
    output: {
      MD5OfMessageBody: string,
      MD5OfMessageAttributes: string,
      MD5OfMessageSystemAttributes: string,
      MessageId: string,
      SequenceNumber: string,
    },
  },
  SendMessageBatch: {
    input: {
      QueueUrl: string,
      Entries: list(
        "SendMessageBatchRequestEntry",
        structure({
          Id: string,
          MessageBody: string,
          DelaySeconds: integer,
          MessageAttributes: messageAttributes,
          MessageSystemAttributes: messageSystemAttributes,
          MessageDeduplicationId: string,
          MessageGroupId: string,
        }),
      ),
    },
    output: {
      Successful: list(
        "SendMessageBatchResultEntry",
        structure({
          Id: string,
          MessageId: string,
          MD5OfMessageBody: string,
          MD5OfMessageAttributes: string,
          MD5OfMessageSystemAttributes: string,
          SequenceNumber: string,
        }),
      ),
      Failed: batchErrors,
    },
  },
  SetQueueAttributes: {
    input: { QueueUrl: string, Attributes: queueAttributes },
  },
  StartMessageMoveTask: {
    input: { SourceArn: string, DestinationArn: string, MaxNumberOfMessagesPerSecond: integer },
    output: { TaskHandle: string },
  },
  TagQueue: {
    input: { QueueUrl: string, Tags: tags },
  },
  UntagQueue: {
    input: { QueueUrl: string, TagKeys: list("TagKey") },
  },
};

/** The schema of a known action; `undefined` for anything else, including `Object.prototype` names. */
export function queryActionSchema(action: string): QueryActionSchema | undefined {
  return Object.hasOwn(QUERY_SCHEMA, action) ? QUERY_SCHEMA[action] : undefined;
}
