import { SqsError } from "../../sqs/index.js";
import type { Principal } from "../context.js";
import type { SqsQueue } from "../queue.js";
import { optionalStringList, requireString, type Input } from "./params.js";

interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: "*" | { AWS?: string | string[] };
  Action?: string | string[];
  Resource?: string | string[];
}

interface Policy {
  Version?: string;
  Id?: string;
  Statement: Statement[];
}

/** A fresh, mutable copy of the queue's Policy (AddPermission and RemovePermission edit it). */
function readPolicy(queue: SqsQueue): Policy | undefined {
  const raw = queue.attributes.Policy;
  return raw ? parsePolicy(raw) : undefined;
}

/**
 * The queue's Policy as last parsed, for `authorize`, which runs on every request: it is parsed again
 * only when the raw text changed. Read-only; never hand it to code that edits.
 */
const policyCache = new WeakMap<SqsQueue, { raw: string; policy: Policy | undefined }>();

function cachedPolicy(queue: SqsQueue): Policy | undefined {
  const raw = queue.attributes.Policy ?? "";
  let cached = policyCache.get(queue);
  if (cached?.raw !== raw) {
    cached = { raw, policy: raw ? parsePolicy(raw) : undefined };
    policyCache.set(queue, cached);
  }
  return cached.policy;
}

function parsePolicy(raw: string): Policy | undefined {
  try {
    const parsed = JSON.parse(raw) as Policy;
    if (!parsed || typeof parsed !== "object") return undefined;
    const statements: unknown = parsed.Statement;
    // A Policy is any JSON object the caller set; keep only statements that are objects.
    const list: unknown[] = Array.isArray(statements) ? statements : statements ? [statements] : [];
    parsed.Statement = list.filter((s): s is Statement => !!s && typeof s === "object" && !Array.isArray(s));
    return parsed;
  } catch {
    return undefined;
  }
}

/** AddPermission: a statement named by Label granting accounts the listed actions (AddPermission API reference). */
export function addPermission(queue: SqsQueue, input: Input): Input {
  const label = requireString(input, "Label");
  const accounts = optionalStringList(input, "AWSAccountIds") ?? [];
  const actions = optionalStringList(input, "Actions") ?? [];
  if (accounts.length === 0) throw new SqsError("MissingParameter", "The request must contain the parameter AWSAccountIds.");
  if (actions.length === 0) throw new SqsError("MissingParameter", "The request must contain the parameter Actions.");
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(label)) {
    throw new SqsError("InvalidParameterValue", `Value ${label} for parameter Label is invalid. Reason: Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length.`);
  }
  // Shape recorded in snapshot test_sqs_permission_lifecycle (notes F9): Version 2008-10-17, one
  // principal or action as a plain string, several as a list.
  const policy = readPolicy(queue) ?? { Version: "2008-10-17", Id: `${queue.arn}/SQSDefaultPolicy`, Statement: [] };
  if (policy.Statement.some((s) => s.Sid === label)) {
    throw new SqsError("InvalidParameterValue", `Value ${label} for parameter Label is invalid. Reason: Already exists.`);
  }
  policy.Statement.push({
    Sid: label,
    Effect: "Allow",
    Principal: { AWS: oneOrMany(accounts.map((a) => `arn:aws:iam::${a}:root`)) },
    Action: oneOrMany(actions.map((a) => (a === "*" ? "SQS:*" : `SQS:${a}`))),
    Resource: queue.arn,
  });
  queue.attributes.Policy = JSON.stringify(policy);
  return {};
}

export function removePermission(queue: SqsQueue, input: Input): Input {
  const label = requireString(input, "Label");
  const policy = readPolicy(queue);
  const index = policy?.Statement.findIndex((s) => s.Sid === label) ?? -1;
  if (!policy || index < 0) {
    throw new SqsError("InvalidParameterValue", `Value ${label} for parameter Label is invalid. Reason: can't find label.`);
  }
  policy.Statement.splice(index, 1);
  if (policy.Statement.length === 0) delete queue.attributes.Policy;
  else queue.attributes.Policy = JSON.stringify(policy);
  return {};
}

function oneOrMany(values: string[]): string | string[] {
  return values.length === 1 ? values[0]! : values;
}

function asList(value: unknown): string[] {
  const list: unknown[] = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.filter((v): v is string => typeof v === "string");
}

function principalMatches(statement: Statement, principal: Principal, accountId: string): boolean {
  if (statement.Principal === "*" ) return true;
  const names = asList(statement.Principal?.AWS);
  return names.some(
    (n) =>
      n === "*" ||
      n === principal.arn ||
      (principal.roleArn !== undefined && n === principal.roleArn) ||
      ((n === accountId || n === `arn:aws:iam::${accountId}:root`) && principal.roleArn === undefined),
  );
}

const BATCH_PERMISSION: Record<string, string> = {
  SendMessageBatch: "SendMessage",
  DeleteMessageBatch: "DeleteMessage",
  ChangeMessageVisibilityBatch: "ChangeMessageVisibility",
};

function actionMatches(statement: Statement, action: string): boolean {
  return asList(statement.Action).some((a) => {
    const lower = a.toLowerCase();
    return lower === "*" || lower === "sqs:*" || lower === `sqs:${action.toLowerCase()}`;
  });
}

/**
 * A queue with a Policy admits only principals a statement allows, and none a statement denies. This
 * is the part of IAM evaluation the engine's AssumeRole path needs: a queue that trusts one role
 * refuses everyone else. A queue without a Policy admits every caller of its own account.
 */
export function authorize(queue: SqsQueue, apiAction: string, principal: Principal, accountId: string): void {
  const policy = cachedPolicy(queue);
  if (!policy) return;
  // SQS Developer Guide, "Amazon SQS batch actions": batch actions have no permissions of their own;
  // SendMessage, DeleteMessage and ChangeMessageVisibility govern their batch versions.
  const action = BATCH_PERMISSION[apiAction] ?? apiAction;
  // The owning account's own credentials are allowed by its identity policies (a queue policy only
  // adds access), so only an explicit Deny stops them; assumed roles need an Allow.
  const owner = principal.roleArn === undefined && principal.arn === `arn:aws:iam::${accountId}:root`;
  const applies = (s: Statement) => principalMatches(s, principal, accountId) && actionMatches(s, action);
  const denied = policy.Statement.some((s) => s.Effect === "Deny" && applies(s));
  const allowed = policy.Statement.some((s) => s.Effect === "Allow" && applies(s));
  if (denied || (!allowed && !owner)) {
    // IAM User Guide, "Troubleshoot access denied error messages": a Deny statement is named as such;
    // a missing Allow says which policy type did not allow the action.
    const why = denied ? "with an explicit deny in a resource-based policy" : `because no resource-based policy allows the sqs:${action} action`;
    throw new SqsError("AccessDenied", `User: ${principal.arn} is not authorized to perform: sqs:${action} on resource: ${queue.arn} ${why}`);
  }
}
