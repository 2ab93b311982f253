import { createHash, randomUUID } from "node:crypto";
import type { Clock } from "../clock/index.js";
import { SqsError } from "../sqs/index.js";
import type { SignedBy } from "./auth.js";
import type { Principal } from "./context.js";
import { accountOf, base32, compileRole, trusts, type Role, type RoleConfig } from "./sts-roles.js";
import {
  StsError,
  assumeRoleResult,
  callerIdentityResult,
  encodeStsError,
  encodeStsResult,
  validationError,
  type IssuedCredentials,
  type StsReply,
} from "./sts-wire.js";

export interface SecurityTokenServiceOptions {
  /** Session expiry is read from this clock, so a virtual clock can expire credentials. */
  clock: Clock;
  /** The account of callers signing with any key STS did not issue (they act as its root). */
  accountId: string;
  roles?: RoleConfig[];
}

interface Session {
  readonly credentials: IssuedCredentials;
  readonly principal: Principal;
}

/** The STS actions answered here; any other form action is left to SQS. */
const STS_ACTIONS = new Set(["AssumeRole", "GetCallerIdentity"]);

/** AssumeRole `DurationSeconds` bounds (STS API Reference, AssumeRole, Request Parameters). */
const MIN_DURATION = 900;
const MAX_DURATION = 43200;
/** A session assumed with another role's session lasts at most an hour (IAM User Guide, "Role chaining"). */
const CHAINED_MAX_DURATION = 3600;
const SESSION_NAME = /^[\w+=,.@-]*$/;
/** Session tokens start like real STS ones; the rest is `base64(check ‖ digest ‖ expiry)`. */
const TOKEN_PREFIX = "IQoJb3JpZ2luX2VjE";
const EXTERNAL_ID = /^[\w+=,.@:/-]*$/;

/**
 * A minimal AWS STS beside the SQS emulator: `AssumeRole` checks a role's trust (who may assume it and
 * its ExternalId) and issues temporary credentials that expire on the emulator's clock;
 * `GetCallerIdentity` says who signed. `resolvePrincipal` then tells SQS who signed each request, so a
 * queue `Policy` that allows only a role admits exactly that role's sessions.
 *
 * @example
 * const sts = createSecurityTokenService({ clock, accountId: "000000000000" });
 * sts.putRole({ arn: "arn:aws:iam::000000000000:role/delivery", externalId: "tenant-42" });
 * createSqsHttpHandler(emulator, { resolvePrincipal: sts.resolvePrincipal, sideService: sts.handle });
 */
export class SecurityTokenService {
  private readonly clock: Clock;
  readonly accountId: string;
  private readonly roles = new Map<string, Role>();
  /**
   * Issued sessions by access key id. Expired ones are pruned when the next session is issued; their
   * keys still answer ExpiredToken, because the token itself says who issued it and when it ends.
   */
  private readonly sessions = new Map<string, Session>();
  /** The earliest expiry among `sessions`: nothing needs pruning before it. */
  private nextExpiry = Infinity;
  private issued = 0;

  constructor(options: SecurityTokenServiceOptions) {
    this.clock = options.clock;
    this.accountId = options.accountId;
    options.roles?.forEach((r, i) => this.putRole(r, `roles[${i}]`));
  }

  /** Adds or replaces a role. Sessions already issued keep working until they expire, as in IAM. */
  putRole(config: RoleConfig, path = "role"): Role {
    const role = compileRole(config, path);
    this.roles.set(role.arn, role);
    return role;
  }

  listRoles(): Role[] {
    return [...this.roles.values()];
  }

  /** Removes a role; later AssumeRole calls for it are AccessDenied. Returns whether it existed. */
  removeRole(arn: string): boolean {
    return this.roles.delete(arn);
  }

  /**
   * Who signed an SQS or STS request. A key STS issued must carry its session token
   * (`X-Amz-Security-Token`) and be unexpired; any other key, `ASIA…` ones included, is the account
   * root, so plain test credentials and a developer's own credentials keep working.
   */
  readonly resolvePrincipal = (signed: SignedBy): Principal | SqsError => {
    const key = signed.accessKeyId;
    const session = key === undefined ? undefined : this.sessions.get(key);
    if (session) {
      if (signed.sessionToken !== session.credentials.sessionToken) return new SqsError("InvalidClientTokenId");
      if (this.clock.now() >= session.credentials.expiresAt) return new SqsError("ExpiredToken");
      return { ...session.principal };
    }
    // A session pruned after it expired: its own token proves that (a live one is always in the map,
    // unless the emulator restarted; such keys act as the root, as before).
    const endedAt = key === undefined || signed.sessionToken === undefined ? undefined : tokenExpiry(key, signed.sessionToken);
    if (endedAt !== undefined && this.clock.now() >= endedAt) return new SqsError("ExpiredToken");
    // An ASIA key we never issued is most likely a developer's own session credentials pointed at the
    // emulator: like plain keys it acts as the account root, so it works on open queues and is refused
    // by queues whose policy names a role.
    return { arn: `arn:aws:iam::${this.accountId}:root`, accessKeyId: key };
  };

  /** Answers the STS actions of a query-protocol form; `undefined` for anything else. */
  readonly handle = (action: string, params: URLSearchParams, caller: Principal, _signed: SignedBy, requestId?: string): StsReply | undefined => {
    if (!STS_ACTIONS.has(action)) return undefined;
    const id = requestId ?? randomUUID();
    try {
      if (action === "GetCallerIdentity") {
        const account = accountOf(caller) ?? this.accountId;
        return encodeStsResult(action, callerIdentityResult(caller.arn, caller.userId ?? account, account), id);
      }
      const { credentials, principal } = this.assumeRole(params, caller);
      return encodeStsResult(action, assumeRoleResult(credentials, principal.userId!, principal.arn), id);
    } catch (err) {
      if (err instanceof StsError) return encodeStsError(err, id);
      throw err;
    }
  };

  private assumeRole(params: URLSearchParams, caller: Principal): Session {
    const roleArn = params.get("RoleArn");
    const sessionName = params.get("RoleSessionName");
    const externalId = params.get("ExternalId");
    const durationText = params.get("DurationSeconds");
    const duration = durationText === null ? 3600 : Number(durationText);
    // Parameter constraints come first, all reported at once (STS API Reference, AssumeRole).
    const problems = [
      ...lengthProblems("roleArn", roleArn, 20, 2048),
      ...lengthProblems("roleSessionName", sessionName, 2, 64),
      ...patternProblems("roleSessionName", sessionName, SESSION_NAME, "[\\w+=,.@-]*"),
      ...durationProblems(durationText, duration),
      ...(externalId === null ? [] : lengthProblems("externalId", externalId, 2, 1224)),
      ...patternProblems("externalId", externalId, EXTERNAL_ID, "[\\w+=,.@:\\/-]*"),
    ];
    if (problems.length) throw validationError(problems);
    const role = this.roles.get(roleArn!);
    // An unknown role, an untrusted caller and a wrong ExternalId look the same from outside.
    if (!role || !trusts(role, caller) || (role.externalId !== undefined && externalId !== role.externalId)) {
      throw new StsError("AccessDenied", 403, `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
    }
    if (caller.roleArn !== undefined && duration > CHAINED_MAX_DURATION) {
      throw new StsError("ValidationError", 400, "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
    }
    if (duration > role.maxSessionSeconds) {
      throw new StsError("ValidationError", 400, "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
    }
    this.pruneExpired();
    const credentials = this.issue(role, sessionName!, duration);
    const session: Session = {
      credentials,
      principal: {
        arn: `arn:aws:sts::${role.account}:assumed-role/${role.name}/${sessionName}`,
        roleArn: role.arn,
        accessKeyId: credentials.accessKeyId,
        userId: `${role.roleId}:${sessionName}`,
      },
    };
    this.sessions.set(session.credentials.accessKeyId, session);
    this.nextExpiry = Math.min(this.nextExpiry, credentials.expiresAt);
    return session;
  }

  /** Drops expired sessions, so a long run that keeps assuming roles does not grow. */
  private pruneExpired(): void {
    const now = this.clock.now();
    if (now < this.nextExpiry) return;
    let next = Infinity;
    for (const [key, session] of this.sessions) {
      if (now >= session.credentials.expiresAt) this.sessions.delete(key);
      else next = Math.min(next, session.credentials.expiresAt);
    }
    this.nextExpiry = next;
  }

  /** Derives keys from a counter rather than chance, so a replayed scenario issues the same ids. */
  private issue(role: Role, sessionName: string, duration: number): IssuedCredentials {
    let digest: Buffer;
    let accessKeyId: string;
    do {
      digest = createHash("sha512").update(`${this.accountId}|${role.arn}|${sessionName}|${++this.issued}`).digest();
      accessKeyId = `ASIA${base32(digest).slice(0, 16)}`;
    } while (this.sessions.has(accessKeyId));
    const secret = digest.subarray(10, 40).toString("base64");
    // STS states Expiration in whole seconds; the session ends at that instant, not a fraction later.
    const expiresAt = Math.floor((this.clock.now() + duration * 1000) / 1000) * 1000;
    const payload = Buffer.alloc(digest.length + 8);
    digest.copy(payload);
    payload.writeDoubleBE(expiresAt, digest.length);
    const token = TOKEN_PREFIX + Buffer.concat([tokenCheck(payload), payload]).toString("base64");
    return { accessKeyId, secretAccessKey: secret, sessionToken: token, expiresAt };
  }
}

/** Binds a token's payload to this emulator's format, so a stray token is never read as one of ours. */
function tokenCheck(payload: Buffer): Buffer {
  return createHash("sha256").update("sqsrig-sts-session|").update(payload).digest();
}

/** When the session of a token issued here ends, if the token is one of ours for `accessKeyId`. */
function tokenExpiry(accessKeyId: string, token: string): number | undefined {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  const text = token.slice(TOKEN_PREFIX.length);
  const raw = Buffer.from(text, "base64");
  if (raw.length !== 32 + 64 + 8 || raw.toString("base64") !== text) return undefined;
  const payload = raw.subarray(32);
  if (!tokenCheck(payload).equals(raw.subarray(0, 32))) return undefined;
  if (`ASIA${base32(payload.subarray(0, 64)).slice(0, 16)}` !== accessKeyId) return undefined;
  return payload.readDoubleBE(64);
}

export function createSecurityTokenService(options: SecurityTokenServiceOptions): SecurityTokenService {
  return new SecurityTokenService(options);
}

function lengthProblems(member: string, value: string | null, min: number, max: number): string[] {
  if (value === null) return [`Value null at '${member}' failed to satisfy constraint: Member must not be null`];
  if (value.length < min) return [`Value '${value}' at '${member}' failed to satisfy constraint: Member must have length greater than or equal to ${min}`];
  if (value.length > max) return [`Value '${value}' at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`];
  return [];
}

function patternProblems(member: string, value: string | null, pattern: RegExp, shown: string): string[] {
  if (value === null || pattern.test(value)) return [];
  return [`Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${shown}`];
}

function durationProblems(text: string | null, duration: number): string[] {
  if (text === null) return [];
  if (!Number.isInteger(duration)) return [`Value '${text}' at 'durationSeconds' failed to satisfy constraint: Member must be a valid integer`];
  if (duration < MIN_DURATION) return [`Value '${duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to ${MIN_DURATION}`];
  if (duration > MAX_DURATION) return [`Value '${duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to ${MAX_DURATION}`];
  return [];
}
