import type { IncomingHttpHeaders } from "node:http";

/** What a request's SigV4 signature says about who sent it. Nothing is verified here. */
export interface SignedBy {
  accessKeyId?: string;
  sessionToken?: string;
  /** The service in the credential scope (`sqs`, `sts`). */
  service?: string;
  region?: string;
}

/**
 * Reads `Authorization: AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request, …` and
 * `X-Amz-Security-Token` (or their query-string forms for presigned requests).
 */
export function signedBy(headers: IncomingHttpHeaders, query?: URLSearchParams): SignedBy {
  const auth = headers.authorization ?? "";
  const credential = /Credential=([^,\s]+)/.exec(auth)?.[1] ?? query?.get("X-Amz-Credential") ?? undefined;
  const token = headerValue(headers["x-amz-security-token"]) ?? query?.get("X-Amz-Security-Token") ?? undefined;
  if (!credential) return { sessionToken: token };
  const [accessKeyId, , region, service] = credential.split("/");
  return { accessKeyId, sessionToken: token, region, service };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
