import { compileDestination } from "../engine/index.js";
import { compileFaultRules } from "../faults/index.js";
import { isValidQueueName } from "../sqs/index.js";
import { createSecurityTokenService, type RoleConfig } from "../emulator/index.js";
import { didYouMean } from "./suggest.js";
import { isNonEmptyString, isObject, isPositiveInteger } from "./guards.js";
import type { Path, ScenarioSource } from "./source.js";
import { CONSUMER_KINDS } from "./types.js";
import type { ConsumerKind, ScenarioConsumer, ScenarioDestination, ScenarioQueue } from "./types.js";

const QUEUE_KEYS = ["name", "attributes", "redrive"] as const;
const REDRIVE_KEYS = ["deadLetterQueue", "maxReceiveCount"] as const;

/** `queues:` — names valid for SQS and unique; redrive targets declared here too. */
export function readQueues(src: ScenarioSource, raw: unknown): ScenarioQueue[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    src.error(["queues"], "queues must be a list of queues such as - { name: orders.fifo }.");
    return [];
  }
  const queues: ScenarioQueue[] = [];
  raw.forEach((q: unknown, i) => {
    const at: Path = ["queues", i];
    if (!isObject(q)) return src.error(at, "A queue must be an object with a name.");
    src.rejectUnknown(q, at, QUEUE_KEYS, "a queue");
    const name = q.name;
    // CreateQueue: 1–80 of [A-Za-z0-9_-], FIFO names end in .fifo.
    if (!isNonEmptyString(name) || !isValidQueueName(name, name.endsWith(".fifo"))) {
      return src.error([...at, "name"], `queue name ${JSON.stringify(name)} is not a valid SQS queue name (1–80 of A-Z a-z 0-9 _ -, FIFO names end in .fifo).`);
    }
    if (queues.some((other) => other.name === name)) return src.error([...at, "name"], `queue '${name}' is declared twice.`);
    const attributes: Record<string, string> = {};
    if (q.attributes !== undefined) {
      if (!isObject(q.attributes)) src.error([...at, "attributes"], "attributes must be a map of SQS queue attributes.");
      else {
        for (const [key, value] of Object.entries(q.attributes)) {
          // SQS attributes are strings on the wire; YAML users write `VisibilityTimeout: 30`.
          if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") attributes[key] = String(value);
          else src.error([...at, "attributes", key], `attribute ${key} must be a string, number or boolean.`);
        }
      }
    }
    const queue: ScenarioQueue = { name, attributes, line: src.lineOf(at) };
    if (q.redrive !== undefined) {
      const r = q.redrive;
      if (!isObject(r)) src.error([...at, "redrive"], "redrive must be { deadLetterQueue: NAME, maxReceiveCount: N }.");
      else {
        src.rejectUnknown(r, [...at, "redrive"], REDRIVE_KEYS, "redrive");
        if (!isNonEmptyString(r.deadLetterQueue)) src.error([...at, "redrive", "deadLetterQueue"], "redrive.deadLetterQueue must name a queue.");
        // RedrivePolicy: maxReceiveCount is 1–1000 (SQS developer guide, dead-letter queues).
        if (!isPositiveInteger(r.maxReceiveCount) || r.maxReceiveCount > 1000) {
          src.error([...at, "redrive", "maxReceiveCount"], "redrive.maxReceiveCount must be an integer from 1 to 1000.");
        }
        if (isNonEmptyString(r.deadLetterQueue) && isPositiveInteger(r.maxReceiveCount)) {
          queue.redrive = { deadLetterQueue: r.deadLetterQueue, maxReceiveCount: r.maxReceiveCount };
        }
      }
    }
    queues.push(queue);
  });
  // Redrive targets may be declared after the queue that uses them.
  raw.forEach((q: unknown, i) => {
    const dlq = isObject(q) && isObject(q.redrive) ? q.redrive.deadLetterQueue : undefined;
    if (isNonEmptyString(dlq) && !queues.some((d) => d.name === dlq)) {
      src.error(["queues", i, "redrive", "deadLetterQueue"], undeclared("queue", dlq, queues.map((d) => d.name)));
    }
  });
  return queues;
}

export function undeclared(kind: "queue" | "consumer", name: string, declared: string[]): string {
  return `${kind} '${name}' is not declared in ${kind === "queue" ? "queues" : "consumers"}` + (declared.length ? ` (declared: ${declared.join(", ")}).` : " (none declared).");
}

const DESTINATION_KEYS = ["type", "name", "queue", "region", "fifo", "messageGroupIdField", "auth", "enabled"];

/** Placeholder credentials so compileDestination can judge the rest when a scenario gives no auth. */
const VALIDATION_AUTH = { mode: "ACCESS_KEYS", accessKeyId: "AKIAVALIDATIONONLY00", secretAccessKey: "validation-only" };

/** `destination:` — the Pushrail shape with `queue: NAME`, checked by the engine's own compileDestination. */
export function readDestination(src: ScenarioSource, raw: unknown, queueNames: string[]): ScenarioDestination | undefined {
  if (raw === undefined) return undefined;
  const at: Path = ["destination"];
  if (!isObject(raw)) {
    src.error(at, "destination must be an object (type, name, queue, region, fifo, …).");
    return undefined;
  }
  const before = src.errors.length;
  const { queue, ...rest } = raw;
  for (const key of Object.keys(rest)) if (!DESTINATION_KEYS.includes(key)) delete rest[key];
  if ("queueUrl" in raw) src.error([...at, "queueUrl"], "Use `queue: NAME` (a queue from queues); the runner fills in the backend's queue URL.", "key");
  src.rejectUnknown(raw, at, DESTINATION_KEYS, "destination", ["queueUrl"]);
  if (!isNonEmptyString(queue)) src.error("queue" in raw ? [...at, "queue"] : at, "destination.queue must name a queue declared in queues.");
  else if (!queueNames.includes(queue)) src.error([...at, "queue"], undeclared("queue", queue, queueNames));
  const region = typeof raw.region === "string" && raw.region ? raw.region : "us-east-1";
  const queueUrl = `https://sqs.${region}.amazonaws.com/000000000000/${isNonEmptyString(queue) ? queue : "unnamed"}`;
  const checked = compileDestination({ ...rest, queueUrl, auth: raw.auth ?? VALIDATION_AUTH });
  if (!checked.ok) {
    for (const e of checked.errors) {
      // queueUrl is ours (built from `queue`): its name errors belong to `queue`.
      const field = e.field === "queueUrl" ? "queue" : e.field;
      src.error([...at, ...field.split(".").filter(Boolean)], e.message, e.rule === "unknown" ? "key" : "value");
    }
  }
  if (src.errors.length > before || !checked.ok || !isNonEmptyString(queue)) return undefined;
  const { queueUrl: _url, auth, ...resolved } = checked.destination;
  return { ...resolved, queue, ...(raw.auth !== undefined ? { auth } : {}) };
}

/**
 * `faults:` (and `setFaults` steps) — the faults module's own compiler, its errors placed on the rule's
 * nodes. Returns the rules as written when they are valid: the injector compiles them again when set.
 */
export function readFaults(src: ScenarioSource, raw: unknown, at: Path): unknown[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    src.error(at, "faults must be a list of rules such as - { on: SendMessageBatch, error: Throttling }.");
    return [];
  }
  const checked = compileFaultRules(raw);
  if (checked.ok) return raw;
  for (const e of checked.errors) {
    // Fields read `rules[2].match.queue`; the list is the scenario's node at `at`.
    const m = /^rules\[(\d+)\]\.?(.*)$/.exec(e.field);
    const rest = m ? [Number(m[1]), ...m[2]!.split(".").filter(Boolean)] : [];
    // Unknown fields get the scenario's did-you-mean, from the list the faults module names.
    const unknown = /unknown field '([^']+)' \(one of ([^)]+)\)/.exec(e.message);
    const hint = unknown ? didYouMean(unknown[1]!, unknown[2]!.split(", ")) : undefined;
    src.error([...at, ...rest], hint ? `${e.message} Did you mean '${hint}'?` : e.message, unknown ? "key" : "value");
  }
  return [];
}

const CONSUMER_REQUIRED = ["name", "queue", "kind"] as const;

/** `consumers:` — name, declared queue and kind checked here; the rest belongs to the consumers module. */
export function readConsumers(src: ScenarioSource, raw: unknown, queueNames: string[]): ScenarioConsumer[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    src.error(["consumers"], "consumers must be a list such as - { name: worker, queue: orders.fifo, kind: lambda }.");
    return [];
  }
  const consumers: ScenarioConsumer[] = [];
  raw.forEach((c: unknown, i) => {
    const at: Path = ["consumers", i];
    if (!isObject(c)) return src.error(at, "A consumer must be an object with name, queue and kind.");
    const missing = CONSUMER_REQUIRED.filter((k) => c[k] === undefined);
    if (missing.length) return src.error(at, `consumer is missing ${missing.join(", ")}.`);
    const { name, queue, kind, ...options } = c;
    if (!isNonEmptyString(name)) return src.error([...at, "name"], "consumer name must be a non-empty string.");
    if (consumers.some((o) => o.name === name)) return src.error([...at, "name"], `consumer '${name}' is declared twice.`);
    if (!isNonEmptyString(queue) || !queueNames.includes(queue)) {
      return src.error([...at, "queue"], undeclared("queue", String(queue), queueNames));
    }
    if (!(CONSUMER_KINDS as readonly unknown[]).includes(kind)) {
      return src.error([...at, "kind"], `consumer kind must be one of ${CONSUMER_KINDS.join(", ")}.`);
    }
    consumers.push({ name, queue, kind: kind as ConsumerKind, options, line: src.lineOf(at) });
  });
  return consumers;
}

const ROLE_KEYS = ["arn", "externalId", "trustedPrincipals", "maxSessionSeconds"] as const;

/**
 * `roles:` — IAM roles the embedded backend's STS lets the engine assume (an ASSUME_ROLE destination),
 * checked by the emulator's own role compiler.
 */
export function readRoles(src: ScenarioSource, raw: unknown): RoleConfig[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    src.error(["roles"], "roles must be a list such as - { arn: arn:aws:iam::000000000000:role/delivery, externalId: tenant-42 }.");
    return [];
  }
  const roles: RoleConfig[] = [];
  raw.forEach((r: unknown, i) => {
    const at: Path = ["roles", i];
    if (!isObject(r)) return src.error(at, "A role must be an object with an arn.");
    const before = src.errors.length;
    src.rejectUnknown(r, at, ROLE_KEYS, "a role");
    if (src.errors.length > before) return;
    try {
      createSecurityTokenService({ clock: { now: () => 0 } as never, accountId: "000000000000", roles: [r as unknown as RoleConfig] });
      roles.push(r as unknown as RoleConfig);
    } catch (err) {
      src.error(at, err instanceof Error ? err.message : String(err));
    }
  });
  return roles;
}
