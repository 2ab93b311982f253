/** `arn:aws:sqs:REGION:ACCOUNT:NAME`, as the QueueArn attribute. */
export function queueArn(region: string, accountId: string, name: string): string {
  return `arn:aws:sqs:${region}:${accountId}:${name}`;
}

export function parseQueueArn(arn: string): { region: string; accountId: string; name: string } | undefined {
  const m = /^arn:aws[\w-]*:sqs:([\w-]*):(\d{12}):([A-Za-z0-9_.-]+)$/.exec(arn);
  return m ? { region: m[1]!, accountId: m[2]!, name: m[3]! } : undefined;
}

/** `BASE/ACCOUNT/NAME`, the path-style queue URL SQS and local emulators hand out. */
export function queueUrl(baseUrl: string, accountId: string, name: string): string {
  return `${baseUrl.replace(/\/$/, "")}/${accountId}/${name}`;
}

/**
 * The account and queue name in a queue URL, whatever its host: clients reach the emulator as
 * localhost, 127.0.0.1 or a container name, and all of them must resolve to the same queue.
 */
export function queueNameFromUrl(url: string): { accountId: string; name: string } | undefined {
  const m = /^(?:[a-z]+:\/\/[^/]+)?\/?(\d{12})\/([^/?#]+)\/?$/.exec(url.trim());
  return m ? { accountId: m[1]!, name: decodeURIComponent(m[2]!) } : undefined;
}
