import type { Message } from "@aws-sdk/client-sqs";
import type { LambdaSqsRecord } from "./types.js";

/**
 * What a `consumer.batch` keeps of a record when the consumer runs with `journalContents: true` (the
 * `consumerSaw` check reads it): the Lambda/Pipes record as the handler got it, without its receipt handle
 * (a credential to delete the message, and different on every receive).
 */
export function recordContent(record: LambdaSqsRecord): Record<string, unknown> {
  const { receiptHandle: _handle, ...rest } = record;
  return structuredClone(rest) as Record<string, unknown>;
}

/**
 * The same for a poller: the API's Message (PascalCase, as ReceiveMessage returned it) without
 * `ReceiptHandle`. Binary attribute values become base64 strings, so the record stays plain JSON when the
 * journal is saved, as Lambda records carry them.
 */
export function messageContent(message: Message): Record<string, unknown> {
  const { ReceiptHandle: _handle, MessageAttributes, ...rest } = message;
  const content: Record<string, unknown> = structuredClone(rest);
  if (MessageAttributes !== undefined) {
    const attributes: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(MessageAttributes)) {
      attributes[name] = {
        ...(value.StringValue !== undefined ? { StringValue: value.StringValue } : {}),
        ...(value.BinaryValue !== undefined ? { BinaryValue: base64(value.BinaryValue) } : {}),
        ...(value.StringListValues !== undefined ? { StringListValues: [...value.StringListValues] } : {}),
        ...(value.BinaryListValues !== undefined ? { BinaryListValues: value.BinaryListValues.map(base64) } : {}),
        DataType: value.DataType,
      };
    }
    content.MessageAttributes = attributes;
  }
  return content;
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}
