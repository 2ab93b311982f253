/**
 * STS on the wire: the query protocol's XML answers and errors, shaped as the STS API Reference shows
 * them (AssumeRole and GetCallerIdentity "Examples"; "Common Errors"). Kept apart from the SQS codec
 * because STS has its own namespace and no `<Detail/>` element.
 */

import { escapeXml } from "./xml.js";

export const STS_XML_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

/** What an STS handler hands back to the HTTP adapter. */
export interface StsReply {
  status: number;
  body: string;
  contentType: string;
}

/**
 * An STS error: `AccessDenied` (403), `ValidationError` (400), `ExpiredToken` and
 * `InvalidClientTokenId` (403). Every one STS raises here is the caller's fault (`Type: Sender`).
 */
export class StsError extends Error {
  constructor(
    readonly code: string,
    readonly httpStatus: number,
    message: string,
  ) {
    super(message);
    this.name = "StsError";
  }
}

/** `1 validation error detected: …` or `N validation errors detected: a; b`, as STS words them. */
export function validationError(problems: string[]): StsError {
  const n = problems.length;
  return new StsError("ValidationError", 400, `${n} validation error${n === 1 ? "" : "s"} detected: ${problems.join("; ")}`);
}

export function encodeStsError(err: StsError, requestId: string): StsReply {
  const body =
    `<ErrorResponse xmlns="${STS_XML_NAMESPACE}"><Error><Type>Sender</Type><Code>${escapeXml(err.code)}</Code>` +
    `<Message>${escapeXml(err.message)}</Message></Error><RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`;
  return { status: err.httpStatus, body, contentType: "text/xml" };
}

/** A document node: an element name and either text or child nodes, in order. */
type XmlNode = [name: string, content: string | XmlNode[]];

function render([name, content]: XmlNode): string {
  const inner = typeof content === "string" ? escapeXml(content) : content.map(render).join("");
  return `<${name}>${inner}</${name}>`;
}

/** `<{Action}Response xmlns=…><{Action}Result>…</{Action}Result><ResponseMetadata>…` */
export function encodeStsResult(action: string, result: XmlNode[], requestId: string): StsReply {
  const body =
    `<${action}Response xmlns="${STS_XML_NAMESPACE}">${render([`${action}Result`, result])}` +
    `${render(["ResponseMetadata", [["RequestId", requestId]]])}</${action}Response>`;
  return { status: 200, body, contentType: "text/xml" };
}

export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch milliseconds, whole seconds (STS reports `2019-11-09T13:34:41Z`). */
  expiresAt: number;
}

/** The AssumeRole result elements, in the order of the API reference's sample response. */
export function assumeRoleResult(creds: IssuedCredentials, assumedRoleId: string, arn: string): XmlNode[] {
  return [
    ["AssumedRoleUser", [["Arn", arn], ["AssumedRoleId", assumedRoleId]]],
    [
      "Credentials",
      [
        ["AccessKeyId", creds.accessKeyId],
        ["SecretAccessKey", creds.secretAccessKey],
        ["SessionToken", creds.sessionToken],
        ["Expiration", isoSeconds(creds.expiresAt)],
      ],
    ],
  ];
}

export function callerIdentityResult(arn: string, userId: string, account: string): XmlNode[] {
  return [["Arn", arn], ["UserId", userId], ["Account", account]];
}

/** ISO-8601 without milliseconds, as STS writes `Expiration`. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
