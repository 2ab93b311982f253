import { createHash } from "node:crypto";
import type { Principal } from "./context.js";

/**
 * An IAM role the emulated STS lets callers assume. This is the part of a role's trust policy that a
 * delivery engine meets: who may assume it and the `sts:ExternalId` condition (IAM User Guide, "Access
 * to AWS accounts owned by third parties"), plus the role's maximum session duration.
 *
 * @example
 * { arn: "arn:aws:iam::000000000000:role/pushrail-delivery", externalId: "tenant-42" }
 */
export interface RoleConfig {
  /** `arn:aws:iam::ACCOUNT:role/NAME`; a path is allowed (`role/team/NAME`). */
  arn: string;
  /** When set, AssumeRole must pass exactly this ExternalId; otherwise it is AccessDenied. */
  externalId?: string;
  /**
   * Who may assume the role: principal ARNs (`arn:aws:iam::ACCOUNT:root`, `…:role/NAME`,
   * `arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION`) or 12-digit account ids (anyone in that account).
   * @default anyone in the role's own account
   */
  trustedPrincipals?: string[];
  /** The role's MaxSessionDuration in seconds, 3600..43200 (IAM `CreateRole`). @default 3600 */
  maxSessionSeconds?: number;
}

/** A role after `compileRole`: every default filled in, plus the identifiers STS derives from it. */
export interface Role {
  readonly arn: string;
  readonly account: string;
  /** The last path segment of the ARN; assumed-role ARNs carry only this, never the path. */
  readonly name: string;
  /** `AROA…` (21 characters), stable for an ARN so SenderId and GetCallerIdentity are reproducible. */
  readonly roleId: string;
  readonly externalId?: string;
  readonly trustedPrincipals?: readonly string[];
  readonly maxSessionSeconds: number;
}

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/((?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,64})$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const PRINCIPAL = /^(\d{12}|arn:aws:(iam|sts)::\d{12}:[\w+=,.@/-]+)$/;

/** Turns a role as users write it into a `Role`, or throws an error naming the field. */
export function compileRole(input: RoleConfig, path = "role"): Role {
  const match = ROLE_ARN.exec(input.arn ?? "");
  if (!match) throw new Error(`${path}.arn: expected arn:aws:iam::<12-digit account>:role/<name>, got ${JSON.stringify(input.arn)}`);
  if (input.externalId !== undefined && !EXTERNAL_ID.test(input.externalId)) {
    throw new Error(`${path}.externalId: 2 to 1224 characters of letters, digits and +=,.@:/-_ (AssumeRole ExternalId)`);
  }
  const max = input.maxSessionSeconds ?? 3600;
  if (!Number.isInteger(max) || max < 3600 || max > 43200) {
    throw new Error(`${path}.maxSessionSeconds: an integer from 3600 to 43200, got ${String(input.maxSessionSeconds)}`);
  }
  input.trustedPrincipals?.forEach((p, i) => {
    if (!PRINCIPAL.test(p)) throw new Error(`${path}.trustedPrincipals[${i}]: expected an account id or a principal ARN, got ${JSON.stringify(p)}`);
  });
  return {
    arn: input.arn,
    account: match[1]!,
    name: match[3]!,
    roleId: `AROA${base32(createHash("sha256").update(`role:${input.arn}`).digest()).slice(0, 17)}`,
    externalId: input.externalId,
    trustedPrincipals: input.trustedPrincipals ? [...input.trustedPrincipals] : undefined,
    maxSessionSeconds: max,
  };
}

/** The account in a principal's ARN (`arn:aws:iam::ACCOUNT:…`). */
export function accountOf(principal: Principal): string | undefined {
  return principal.arn.split(":")[4];
}

/**
 * Whether the role's trust policy names the caller: its own ARN, the role its session came from, or
 * its account (an account id or `…:root` trusts every principal of that account, as in IAM).
 */
export function trusts(role: Role, caller: Principal): boolean {
  const account = accountOf(caller);
  if (!role.trustedPrincipals) return account === role.account;
  return role.trustedPrincipals.some(
    (p) => p === caller.arn || p === caller.roleArn || p === account || p === `arn:aws:iam::${account}:root`,
  );
}

/** RFC 4648 base32 without padding: the alphabet of AWS key and role ids (A–Z, 2–7). */
export function base32(bytes: Uint8Array): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let out = "";
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return bits > 0 ? out + alphabet[(value << (5 - bits)) & 31] : out;
}
