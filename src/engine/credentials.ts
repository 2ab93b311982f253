import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import type { Clock } from "../clock/index.js";
import type { SqsDestination } from "./destination.js";

/**
 * The SDK v3 credential shape (`@smithy/types` AwsCredentialIdentity), declared here so the engine
 * does not depend on a package it does not list; the SDK accepts it structurally.
 */
export interface AwsCredentialIdentity {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  /** When the credentials stop working, in the engine clock's time. */
  readonly expiration?: Date;
}

/** The SDK v3 provider shape (`@smithy/types` AwsCredentialIdentityProvider). */
export type AwsCredentialIdentityProvider = (options?: { forceRefresh?: boolean }) => Promise<AwsCredentialIdentity>;

/**
 * A provider the SQS client can take as `credentials`, plus what the engine needs around it.
 * `memoized: true` tells SDK v3 (`@aws-sdk/core` normalizeCredentialProvider) not to wrap it in its own
 * cache: that cache judges expiry by the wall clock, and a virtual clock running ahead of the wall would
 * then keep using a session the emulator already considers expired.
 */
export interface CredentialsProvider extends AwsCredentialIdentityProvider {
  readonly memoized: true;
  /** Drops the cached session so the next call assumes the role again (after ExpiredToken). */
  invalidate(): void;
  /** Releases the STS client's sockets. */
  close(): void;
}

export interface CredentialsProviderOptions {
  /** Session expiry is judged on this clock (the emulator's STS states Expiration in its clock's time). */
  clock: Clock;
  /** Region of the STS client. */
  region: string;
  /** STS endpoint, e.g. the embedded emulator's URL. @default the SDK's regional STS endpoint */
  stsEndpoint?: string;
  /** Who calls AssumeRole. @default the SDK default credential chain */
  baseCredentials?: AwsCredentialIdentityProvider | AwsCredentialIdentity;
  /** Assume the role again this long before the session expires. @default 300_000 (5 minutes) */
  refreshBeforeMs?: number;
  /** AssumeRole RoleSessionName; see {@link sessionNameFor}. @default "sqsrig" */
  sessionName?: string;
  /** AssumeRole DurationSeconds, 900..43200 (STS API Reference, AssumeRole). @default 3600 */
  durationSeconds?: number;
}

interface CachedSession {
  identity: AwsCredentialIdentity;
  /** Clock time from which the session is assumed again. */
  refreshAt: number;
}

const DEFAULT_REFRESH_BEFORE_MS = 5 * 60_000;

/**
 * Credentials for one destination's SQS client. ACCESS_KEYS are returned as they are. ASSUME_ROLE calls
 * STS AssumeRole with the destination's ExternalId and caches the session until `refreshBeforeMs` before
 * its Expiration, on `clock`; concurrent callers share one AssumeRole; a failed AssumeRole is not cached
 * and its SDK error (`name` = the STS code, e.g. AccessDenied) is thrown as it is.
 *
 * @example
 * const credentials = createCredentialsProvider(destination.auth, { clock, region: destination.region });
 * const sqs = new SQSClient({ region: destination.region, credentials, maxAttempts: 1 });
 * // after an ExpiredToken answer: credentials.invalidate(), then retry once
 */
export function createCredentialsProvider(auth: SqsDestination["auth"], options: CredentialsProviderOptions): CredentialsProvider {
  if (auth.mode === "ACCESS_KEYS") {
    const identity: AwsCredentialIdentity = { accessKeyId: auth.accessKeyId, secretAccessKey: auth.secretAccessKey };
    // A copy per call: the SDK tags the identity it is given (`$source`), and that must not leak back.
    return Object.assign(async () => ({ ...identity }), { memoized: true as const, invalidate: () => {}, close: () => {} });
  }

  const { clock } = options;
  const refreshBeforeMs = options.refreshBeforeMs ?? DEFAULT_REFRESH_BEFORE_MS;
  const durationSeconds = options.durationSeconds ?? 3600;
  const sts = new STSClient({
    region: options.region,
    endpoint: options.stsEndpoint,
    credentials: options.baseCredentials,
    // The engine owns retries (DESIGN "Engine"); an AccessDenied must surface at once, not after backoff.
    maxAttempts: 1,
  });
  let cached: CachedSession | undefined;
  let inFlight: Promise<AwsCredentialIdentity> | undefined;
  // Bumped by invalidate(): an AssumeRole that was already under way must not refill the cache it cleared.
  let generation = 0;

  const assume = async (): Promise<AwsCredentialIdentity> => {
    const startedIn = generation;
    const out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: auth.roleArn,
        ExternalId: auth.externalId,
        RoleSessionName: options.sessionName ?? "sqsrig",
        DurationSeconds: durationSeconds,
      }),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
      throw new Error(`STS AssumeRole of ${auth.roleArn} answered without credentials.`);
    }
    const now = clock.now();
    const expiresAt = c.Expiration?.getTime() ?? now + durationSeconds * 1000;
    const identity: AwsCredentialIdentity = {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: new Date(expiresAt),
    };
    // A session shorter than twice the margin is kept for half its life, so it is never assumed again
    // on every call.
    const margin = Math.min(refreshBeforeMs, Math.max(0, (expiresAt - now) / 2));
    if (startedIn === generation) cached = { identity, refreshAt: expiresAt - margin };
    return identity;
  };

  const provider = async (callOptions?: { forceRefresh?: boolean }): Promise<AwsCredentialIdentity> => {
    if (callOptions?.forceRefresh) invalidate();
    if (cached && clock.now() < cached.refreshAt) return cached.identity;
    if (!inFlight) {
      const request = assume().finally(() => {
        if (inFlight === request) inFlight = undefined;
      });
      inFlight = request;
    }
    return inFlight;
  };

  function invalidate(): void {
    generation++;
    cached = undefined;
    inFlight = undefined;
  }

  return Object.assign(provider, { memoized: true as const, invalidate, close: () => sts.destroy() });
}

/**
 * A RoleSessionName for a destination: STS allows 2–64 of `[\w+=,.@-]` (STS API Reference, AssumeRole),
 * and the name appears in the customer's CloudTrail, so it says who is calling and for which destination.
 *
 * @example sessionNameFor("orders (eu)") // "sqsrig-orders-eu"
 */
export function sessionNameFor(destinationName: string): string {
  const cleaned = destinationName.replace(/[^\w+=,.@-]+/g, "-").replace(/^-+|-+$/g, "");
  return `sqsrig-${cleaned}`.slice(0, 64);
}
