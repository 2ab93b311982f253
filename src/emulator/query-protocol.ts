/**
 * The SQS query protocol codec: form-encoded `Action=…` requests in, XML answers out. It translates
 * between the wire and the AWS JSON 1.0 shapes the emulator core works in, driven by the table in
 * `query-schema.ts`; it validates only what the wire itself can get wrong (missing or unknown action,
 * integers that are not integers, map entries without a key). Everything else is the core's job, so both
 * protocols reject the same requests with the same errors.
 */
import { SqsError } from "../sqs/index.js";
import { queryActionSchema, type QueryActionSchema, type QueryMembers, type QueryShape } from "./query-schema.js";
import { escapeXml } from "./xml.js";

const XML_NAMESPACE = "http://queue.amazonaws.com/doc/2012-11-05/";
const XML_DECLARATION = '<?xml version="1.0"?>';

/** One segment of a dotted parameter name: `Attribute.1.Name` is `Attribute` → `1` → `Name`. */
interface FormNode {
  /** Every value sent under this exact name, in order; usually one. */
  readonly values: string[];
  readonly children: Map<string, FormNode>;
}

/**
 * Turns a query-protocol form into the action name and its JSON 1.0 input.
 *
 * Lists come back in index order (`.10` after `.9`, gaps closed), integers as numbers, binary values as
 * the base64 strings they already are. `Version`, signature and unknown parameters are ignored.
 *
 * @example
 * decodeQueryRequest(new URLSearchParams("Action=GetQueueAttributes&QueueUrl=q&AttributeName.1=All"))
 * // → { action: "GetQueueAttributes", input: { QueueUrl: "q", AttributeNames: ["All"] } }
 */
export function decodeQueryRequest(params: URLSearchParams): { action: string; input: Record<string, unknown> } {
  const action = params.get("Action");
  if (!action) throw new SqsError("MissingAction");
  const schema = schemaOf(action);
  return { action, input: decodeMembers(formTree(params), "", schema.input) };
}

/**
 * The XML answer to a successful action. Actions without output (DeleteMessage, PurgeQueue, …) answer
 * with ResponseMetadata alone, as AWS does.
 *
 * @example
 * encodeQueryResponse("GetQueueUrl", { QueueUrl: "http://127.0.0.1:4590/000000000000/q" }, "req-1")
 * // → '<?xml version="1.0"?><GetQueueUrlResponse xmlns="…"><GetQueueUrlResult><QueueUrl>…</QueueUrl>…'
 */
export function encodeQueryResponse(action: string, output: Record<string, unknown>, requestId: string): string {
  const schema = schemaOf(action);
  const result = schema.output ? element(`${action}Result`, encodeMembers(output, schema.output, action)) : "";
  return (
    `${XML_DECLARATION}<${action}Response xmlns="${XML_NAMESPACE}">${result}` +
    `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata></${action}Response>`
  );
}

// The XML error body is part of the SQS error wire form (src/sqs/error-wire.ts); re-exported for the codec's users.
export { encodeQueryError } from "../sqs/index.js";

function schemaOf(action: string): QueryActionSchema {
  const schema = queryActionSchema(action);
  if (!schema) throw new SqsError("InvalidAction", `The action ${action} is not valid for this endpoint.`);
  return schema;
}

// ---- decoding -------------------------------------------------------------------------------------

/** One pass over the form, so decoding nested lists never rescans every parameter. */
function formTree(params: URLSearchParams): FormNode {
  const root: FormNode = { values: [], children: new Map() };
  for (const [key, value] of params) {
    let node = root;
    for (const segment of key.split(".")) {
      let child = node.children.get(segment);
      if (!child) {
        child = { values: [], children: new Map() };
        node.children.set(segment, child);
      }
      node = child;
    }
    node.values.push(value);
  }
  return root;
}

function decodeMembers(node: FormNode, path: string, members: QueryMembers): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [member, shape] of Object.entries(members)) {
    const name = wireName(member, shape);
    const value = decodeValue(node.children.get(name), path + name, shape);
    if (value !== undefined) out[member] = value;
  }
  return out;
}

function decodeValue(node: FormNode | undefined, path: string, shape: QueryShape): unknown {
  if (!node) return undefined;
  switch (shape.kind) {
    // A repeated scalar counts once, first value first, as with URLSearchParams.get.
    case "string":
      return node.values[0];
    case "integer":
      return node.values[0] === undefined ? undefined : parseInteger(node.values[0], path);
    case "boolean":
      return node.values[0] === undefined ? undefined : parseBoolean(node.values[0], path);
    case "structure":
      return decodeMembers(node, `${path}.`, shape.members);
    case "list": {
      // The SDK's query serializer writes AttributeNames and MessageSystemAttributeNames both as
      // `AttributeName.N` (one xmlName in the model), so `AttributeName.1=All&AttributeName.1=SenderId` is
      // real traffic: a repeated string item keeps every value rather than losing one of the two lists.
      const items = indexed(node).flatMap(([index, item]) =>
        shape.member.kind === "string" ? item.values : [decodeValue(item, `${path}.${index}`, shape.member)],
      );
      return items.length > 0 ? items : undefined;
    }
    case "map": {
      const entries = indexed(node).map(([index, entry]): [string, unknown] => {
        const key = entry.children.get(shape.key)?.values[0];
        if (key === undefined) throw missing(`${path}.${index}.${shape.key}`);
        const value = decodeValue(entry.children.get(shape.value), `${path}.${index}.${shape.value}`, shape.valueShape);
        if (value === undefined) throw missing(`${path}.${index}.${shape.value}`);
        return [key, value];
      });
      // fromEntries defines own properties, so a key like "__proto__" stays data, not a prototype.
      return entries.length > 0 ? Object.fromEntries(entries) : undefined;
    }
  }
}

/** The numbered children of a list or map node, in numeric order; other segments are not items. */
function indexed(node: FormNode): Array<[number, FormNode]> {
  const items: Array<[number, FormNode]> = [];
  for (const [segment, child] of node.children) {
    if (/^[1-9][0-9]*$/.test(segment)) items.push([Number(segment), child]);
  }
  return items.sort((a, b) => a[0] - b[0]);
}

function parseInteger(raw: string, path: string): number {
  const value = Number(raw);
  if (!/^-?[0-9]+$/.test(raw) || !Number.isSafeInteger(value)) {
    throw new SqsError("InvalidParameterValue", `Value ${raw} for parameter ${path} is invalid. Reason: must be an integer.`);
  }
  return value;
}

function parseBoolean(raw: string, path: string): boolean {
  if (raw === "true") return true;
  if (raw === "false") return false;
  throw new SqsError("InvalidParameterValue", `Value ${raw} for parameter ${path} is invalid. Reason: must be true or false.`);
}

function missing(parameter: string): SqsError {
  return new SqsError("MissingParameter", `The request must contain the parameter ${parameter}.`);
}

// ---- encoding -------------------------------------------------------------------------------------

function encodeMembers(value: unknown, members: QueryMembers, path: string): string {
  if (typeof value !== "object" || value === null) throw shapeError(path, "an object", value);
  const record = value as Record<string, unknown>;
  let xml = "";
  for (const [member, shape] of Object.entries(members)) {
    const memberValue = record[member];
    if (memberValue !== undefined && memberValue !== null) xml += encodeValue(member, memberValue, shape, `${path}.${member}`);
  }
  return xml;
}

/** `name` is the element for scalars and structures; flattened lists and maps use their own names. */
function encodeValue(name: string, value: unknown, shape: QueryShape, path: string): string {
  switch (shape.kind) {
    case "string":
    case "integer":
    case "boolean":
      if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
        throw shapeError(path, "a scalar", value);
      }
      return element(name, escapeXml(String(value)));
    case "structure":
      return element(name, encodeMembers(value, shape.members, path));
    case "list":
      if (!Array.isArray(value)) throw shapeError(path, "an array", value);
      return value.map((item, i) => encodeValue(shape.name, item, shape.member, `${path}[${i}]`)).join("");
    case "map":
      if (typeof value !== "object" || value === null) throw shapeError(path, "an object", value);
      return Object.entries(value)
        .map(([key, entry]) =>
          element(
            shape.name,
            element(shape.key, escapeXml(key)) + encodeValue(shape.value, entry, shape.valueShape, `${path}.${key}`),
          ),
        )
        .join("");
  }
}

function element(name: string, inner: string): string {
  return inner === "" ? `<${name}/>` : `<${name}>${inner}</${name}>`;
}

/** A core output that does not fit the model is our bug: fail loudly (500), never emit odd XML. */
function shapeError(path: string, expected: string, actual: unknown): TypeError {
  return new TypeError(`query encoder: ${path} should be ${expected}, got ${JSON.stringify(actual)}`);
}

function wireName(member: string, shape: QueryShape): string {
  return shape.kind === "list" || shape.kind === "map" ? shape.name : member;
}
