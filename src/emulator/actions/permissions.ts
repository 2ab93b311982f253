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

function readPolicy(queue: SqsQueue): Policy | undefined {
  const raw = queue.attributes.Policy;
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as Policy;
    if (!Array.isArray(parsed.Statement)) parsed.Statement = parsed.Statement ? [parsed.Statement as unknown as Statement] : [];
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
  const policy = readPolicy(queue) ?? { Version: "2012-10-17", Id: `${queue.arn}/SQSDefaultPolicy`, Statement: [] };
  if (policy.Statement.some((s) => s.Sid === label)) {
    throw new SqsError("InvalidParameterValue", `Value ${label} for parameter Label is invalid. Reason: Already exists.`);
  }
  policy.Statement.push({
    Sid: label,
    Effect: "Allow",
    Principal: { AWS: accounts.map((a) => `arn:aws:iam::${a}:root`) },
    Action: actions.map((a) => (a === "*" ? "SQS:*" : `SQS:${a}`)),
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
    throw new SqsError("InvalidParameterValue", `Value ${label} for parameter Label is invalid. Reason: can't find label on existing policy.`);
  }
  policy.Statement.splice(index, 1);
  if (policy.Statement.length === 0) delete queue.attributes.Policy;
  else queue.attributes.Policy = JSON.stringify(policy);
  return {};
}

function asList(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
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
export function authorize(queue: SqsQueue, action: string, principal: Principal, accountId: string): void {
  const policy = readPolicy(queue);
  if (!policy) return;
  const applies = (s: Statement) => principalMatches(s, principal, accountId) && actionMatches(s, action);
  const denied = policy.Statement.some((s) => s.Effect === "Deny" && applies(s));
  const allowed = policy.Statement.some((s) => s.Effect === "Allow" && applies(s));
  if (denied || !allowed) {
    throw new SqsError(
      "AccessDenied",
      `User: ${principal.arn} is not authorized to perform: sqs:${action} on resource: ${queue.arn} because no resource-based policy allows the sqs:${action} action`,
    );
  }
}
