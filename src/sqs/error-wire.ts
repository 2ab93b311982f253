import type { SqsError } from "./errors.js";
import { escapeXml } from "./xml.js";

/** The answer to send for an SQS error, transport-free: status, headers (lower-case names), body. */
export interface SqsErrorWire {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const JSON_CONTENT_TYPE = "application/x-amz-json-1.0";
const XML_NAMESPACE = "http://queue.amazonaws.com/doc/2012-11-05/";
const XML_DECLARATION = '<?xml version="1.0"?>';

/**
 * An SQS error exactly as SQS puts it on the wire, with the same HTTP status on both protocols.
 *
 * AWS JSON 1.0: body `{"__type": "<namespace><jsonType>", "message": …}` (no `message` when it is empty,
 * as AWS's front end answers an unknown target), `content-type: application/x-amz-json-1.0`, and
 * `x-amzn-query-error: <queryCode>;Sender|Receiver`, because botocore takes `Error.Code` from that header
 * and the exception class from `__type`, and SDK v3 (awsQueryCompatible) takes `error.name` and `Code`
 * from the header (botocore `tests/functional/test_sqs.py`, `parsers.py`; SQS-FACTS "JSON errors").
 * Query protocol: `<ErrorResponse>` XML, `text/xml`, with the query code and the query-protocol wording.
 *
 * @example
 * encodeSqsError(new SqsError("QueueDoesNotExist"), "json", "req-1")
 * // → { status: 400, headers: { "content-type": "application/x-amz-json-1.0",
 * //      "x-amzn-query-error": "AWS.SimpleQueueService.NonExistentQueue;Sender", … },
 * //      body: '{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}' }
 */
export function encodeSqsError(error: SqsError, protocol: "json" | "query", requestId: string): SqsErrorWire {
  if (protocol === "json") {
    const body = error.message === "" ? { __type: error.jsonType } : { __type: error.jsonType, message: error.message };
    const wire = answer(error.httpStatus, JSON.stringify(body), JSON_CONTENT_TYPE, requestId);
    wire.headers["x-amzn-query-error"] = `${error.spec.queryCode};${error.senderFault ? "Sender" : "Receiver"}`;
    return wire;
  }
  const bare = error.spec.queryBareElement;
  const body = bare !== undefined ? `<${bare}/>` : encodeQueryError(error, requestId);
  return answer(error.httpStatus, body, "text/xml", requestId);
}

/**
 * The XML body of an error, with the query code (`AWS.SimpleQueueService.NonExistentQueue`, not
 * `QueueDoesNotExist`) and `Sender`/`Receiver`, as AWS writes it (recorded-errors §0; e.g. the
 * InvalidClientTokenId answer quoted in ex-aws/ex_aws#220).
 *
 * @example
 * encodeQueryError(new SqsError("QueueDoesNotExist"), "req-1")
 * // → '<?xml version="1.0"?><ErrorResponse xmlns="…"><Error><Type>Sender</Type><Code>AWS.Simple…'
 */
export function encodeQueryError(err: SqsError, requestId: string): string {
  const type = err.senderFault ? "Sender" : "Receiver";
  return (
    `${XML_DECLARATION}<ErrorResponse xmlns="${XML_NAMESPACE}"><Error><Type>${type}</Type>` +
    `<Code>${escapeXml(err.spec.queryCode)}</Code><Message>${escapeXml(err.queryMessage)}</Message><Detail/></Error>` +
    `<RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`
  );
}

function answer(status: number, body: string, contentType: string, requestId: string): SqsErrorWire {
  return {
    status,
    body,
    headers: { "content-type": contentType, "x-amzn-requestid": requestId, "content-length": String(Buffer.byteLength(body)) },
  };
}
