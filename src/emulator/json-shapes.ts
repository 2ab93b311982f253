/**
 * Type checks for AWS JSON 1.0 input, done the way AWS's JSON front end does them: before the action
 * runs, against the service model, with a `SerializationException` naming the JSON token that does not
 * fit. The texts are the ones AWS sends: "STRING_VALUE can not be converted to an Integer" was reported
 * from sqs.eu-central-1 (async-aws/aws#1667); the others are the same front end's wording as measured on
 * another AWS JSON service. `null` counts as absent, as it does there.
 *
 * The member shapes come from `query-schema.ts`, whose member names are the JSON names.
 */
import { SqsError, dictionary } from "../sqs/index.js";
import { queryActionSchema, type QueryMembers, type QueryShape } from "./query-schema.js";

/**
 * Returns the input with `null`s dropped, or throws the SerializationException AWS would answer.
 * Members the model does not know are kept; the core ignores them, as AWS does.
 *
 * @example
 * checkJsonInput("ReceiveMessage", { QueueUrl: "u", MaxNumberOfMessages: "5" })
 * // throws SerializationException "STRING_VALUE can not be converted to an Integer"
 */
export function checkJsonInput(action: string, input: Record<string, unknown>): Record<string, unknown> {
  const schema = queryActionSchema(action);
  return schema ? checkMembers(input, schema.input) : input;
}

function checkMembers(value: Record<string, unknown>, members: QueryMembers): Record<string, unknown> {
  // A member named `__proto__` is an unknown member like any other: kept as data, never a prototype.
  const out = dictionary<unknown>();
  for (const [name, member] of Object.entries(value)) {
    if (member === null || member === undefined) continue;
    const shape = Object.hasOwn(members, name) ? members[name] : undefined;
    out[name] = shape ? checkValue(member, shape) : member;
  }
  return out;
}

function checkValue(value: unknown, shape: QueryShape): unknown {
  switch (shape.kind) {
    case "string":
      if (typeof value === "string") return value;
      throw mismatch(value, "a String");
    case "integer":
      // AWS's number type truncates a fraction rather than refusing it.
      if (typeof value === "number" && Number.isFinite(value)) return Math.trunc(value);
      throw mismatch(value, "an Integer");
    case "boolean":
      if (typeof value === "boolean") return value;
      throw mismatch(value, "a Boolean");
    case "list": {
      if (!Array.isArray(value)) throw container(value, "Expected list or null");
      return value.filter((item) => item !== null).map((item) => checkValue(item, shape.member));
    }
    case "map": {
      if (!isObject(value)) throw container(value, "Expected map or null");
      const entries = Object.entries(value)
        .filter(([, v]) => v !== null)
        .map(([k, v]): [string, unknown] => [k, checkValue(v, shape.valueShape)]);
      // fromEntries keeps a key like "__proto__" as data.
      return Object.fromEntries(entries);
    }
    case "structure":
      if (!isObject(value)) throw container(value, "Expected null");
      return checkMembers(value, shape.members);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A scalar member given the wrong JSON token. */
function mismatch(value: unknown, expected: string): SqsError {
  if (Array.isArray(value)) return serialization("Start of list found where not expected");
  if (typeof value === "object" && value !== null) return serialization("Start of structure or map found where not expected.");
  return serialization(`${tokenOf(value)} can not be converted to ${expected}`);
}

/** A list, map or structure member given the wrong JSON token. */
function container(value: unknown, scalarMessage: string): SqsError {
  if (Array.isArray(value)) return serialization("Start of list found where not expected");
  if (typeof value === "object" && value !== null) return serialization("Start of structure or map found where not expected.");
  return serialization(scalarMessage);
}

function tokenOf(value: unknown): string {
  if (typeof value === "string") return "STRING_VALUE";
  if (typeof value === "boolean") return value ? "TRUE_VALUE" : "FALSE_VALUE";
  return "NUMBER_VALUE";
}

function serialization(message: string): SqsError {
  return new SqsError("SerializationException", message);
}
