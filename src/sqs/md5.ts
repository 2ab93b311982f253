import { createHash, hash } from "node:crypto";
import type { MessageAttributeValue } from "./message-attributes.js";

/** Hex MD5 of the UTF-8 body, as `MD5OfMessageBody`. */
export function md5OfBody(body: string): string {
  // One-shot hash (Node ≥ 20.12): no Hash object per message on the hot path.
  return hash("md5", body, "hex");
}

/**
 * `MD5OfMessageAttributes` exactly as SQS computes it (SQS developer guide, "Calculating the MD5 message
 * digest for message attributes"): names sorted; per attribute the length-prefixed name, length-prefixed
 * DataType, one transport byte (1 string, 2 binary), then the length-prefixed value. `undefined` when
 * there are no attributes, since SQS then omits the field.
 */
export function md5OfMessageAttributes(attributes: Record<string, MessageAttributeValue> | undefined): string | undefined {
  if (!attributes) return undefined;
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const hash = createHash("md5");
  for (const name of names) {
    const attr = attributes[name]!;
    lengthPrefixed(hash, Buffer.from(name, "utf8"));
    lengthPrefixed(hash, Buffer.from(attr.DataType, "utf8"));
    const binary = attr.DataType.startsWith("Binary");
    if (attr.StringListValues || attr.BinaryListValues) {
      // List values (reserved by SQS, never accepted on send) hash as transport 3/4 per the SDK; kept for completeness.
      hash.update(Buffer.from([binary ? 4 : 3]));
      for (const v of attr.StringListValues ?? []) lengthPrefixed(hash, Buffer.from(v, "utf8"));
      for (const v of attr.BinaryListValues ?? []) lengthPrefixed(hash, Buffer.from(v, "base64"));
      continue;
    }
    hash.update(Buffer.from([binary ? 2 : 1]));
    const value = binary ? Buffer.from(attr.BinaryValue ?? "", "base64") : Buffer.from(attr.StringValue ?? "", "utf8");
    lengthPrefixed(hash, value);
  }
  return hash.digest("hex");
}

function lengthPrefixed(hash: ReturnType<typeof createHash>, bytes: Buffer): void {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(bytes.length, 0);
  hash.update(len);
  hash.update(bytes);
}
