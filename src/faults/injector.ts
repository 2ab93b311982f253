import { createHash } from "node:crypto";
import type { Clock } from "../clock/index.js";
import { createSeededRandom } from "../clock/index.js";
import type { Journal } from "../journal/index.js";
import { compileFaultRules, regexOf, type FaultEffect, type FaultRule, type FaultRuleError } from "./rules.js";
import { awsThrottleSpec, TokenBuckets } from "./token-bucket.js";
import type { ParsedRequest, RequestEntry } from "./wire-request.js";

/** What a decision does to the request: a throttle that fires answers with its error. */
export type AppliedEffect = Exclude<FaultEffect, { kind: "throttle" }>;

/** A rule's verdict on one request: its effect, with chance already resolved (a delay's length, the entries to fail). */
export interface FaultDecision {
  rule: FaultRule;
  effect: AppliedEffect;
  /** For `delay`: the wait chosen in [min, max]. */
  delayMs?: number;
  /** For `partial`: the indexes of the entries that fail. */
  failing?: number[];
}

export interface FaultInjectorOptions {
  clock: Clock;
  journal: Journal;
  /** Seed of the probability draws and delay ranges: same seed and rules, same decisions. @default 1 */
  seed?: number;
}

interface RuleState {
  /** Matching requests seen (for `after`). */
  seen: number;
  /** Times the effect was applied (for `times`). */
  fired: number;
}

/** How many message fingerprints `attempt` remembers; older ones count from 1 again. */
const ATTEMPT_MEMORY = 100_000;

/**
 * The decision core every attachment point shares (DESIGN "Faults"): rules in order, the first whose
 * action, match and timing all hold decides; each decision is a `fault.injected` journal record.
 * Replacing the rules restarts their counters, their `during` clock and the seeded PRNG, so the same
 * rule list over the same requests makes the same decisions.
 */
export class FaultInjector {
  private rules: FaultRule[] = [];
  private states: RuleState[] = [];
  private installedAt: number;
  private random: () => number;
  private readonly attempts = new Map<string, number>();
  private countsAttempts = false;
  private readonly buckets = new TokenBuckets();

  constructor(private readonly options: FaultInjectorOptions) {
    this.installedAt = options.clock.now();
    this.random = createSeededRandom(options.seed ?? 1);
  }

  /** The rules in force (compiled). */
  list(): readonly FaultRule[] {
    return this.rules;
  }

  /** Replaces every rule at once, or changes nothing and returns what is wrong with `input`. */
  setRules(input: unknown): { ok: true; rules: readonly FaultRule[] } | { ok: false; errors: FaultRuleError[] } {
    const check = compileFaultRules(input);
    if (!check.ok) return check;
    this.rules = check.rules;
    this.states = check.rules.map(() => ({ seen: 0, fired: 0 }));
    this.installedAt = this.options.clock.now();
    this.random = createSeededRandom(this.options.seed ?? 1);
    // Attempts are message history, not rule state: a retry after new rules is still a retry.
    this.countsAttempts = check.rules.some((r) => r.match.attempt !== undefined);
    this.buckets.clear();
    this.options.journal.emit({ type: "faults.changed", rules: check.rules.length });
    return { ok: true, rules: this.rules };
  }

  /** The effect for `request`, or undefined to let it through untouched. */
  decide(request: ParsedRequest): FaultDecision | undefined {
    if (this.rules.length === 0) return undefined;
    // Message history only costs memory when a rule asks for it.
    const attempt = this.countsAttempts ? this.attemptOf(request) : 0;
    const elapsed = this.options.clock.now() - this.installedAt;
    for (const rule of this.rules) {
      if (rule.on !== "*" && rule.on !== request.action) continue;
      const matching = matchingEntries(rule, request);
      if (matching === undefined) continue;
      if (rule.match.attempt !== undefined && rule.match.attempt !== attempt) continue;
      if (rule.during && (elapsed < rule.during.fromMs || elapsed >= rule.during.toMs)) continue;
      const state = this.states[rule.index]!;
      state.seen++;
      if (rule.after !== undefined && state.seen <= rule.after) continue;
      if (rule.times !== undefined && state.fired >= rule.times) continue;
      // A throttle fires only over its rate; under it the request goes on to the next rules.
      if (rule.effect.kind === "throttle" && !this.overRate(rule, request)) continue;
      if (rule.probability !== undefined && !(this.random() < rule.probability)) continue;
      const decision = this.resolve(rule, request, matching);
      if (!decision) continue;
      state.fired++;
      this.record(decision, request);
      return decision;
    }
    return undefined;
  }

  /** Takes a token from the rule's bucket for this queue and action; true when there was none. */
  private overRate(rule: FaultRule, request: ParsedRequest): boolean {
    if (rule.effect.kind !== "throttle") return false;
    const spec = rule.effect.limit === "aws" ? awsThrottleSpec(request.action, request.queue) : rule.effect.limit;
    if (!spec) return false;
    return !this.buckets.take(`${rule.index}\u0000${request.queue ?? ""}\u0000${request.action}`, spec, this.options.clock.now());
  }

  private resolve(rule: FaultRule, request: ParsedRequest, matching: number[]): FaultDecision | undefined {
    const effect = rule.effect;
    if (effect.kind === "throttle") return { rule, effect: { kind: "error", error: effect.error } };
    if (effect.kind === "delay") {
      const delayMs = effect.minMs + Math.floor(this.random() * (effect.maxMs - effect.minMs + 1));
      return { rule, effect, delayMs };
    }
    if (effect.kind === "partial") {
      // A batch SQS refuses whole (no entries, more than 10, repeated Ids) keeps that answer: no partial.
      const ids = new Set(request.entries.map((e) => e.id));
      if (request.entries.length === 0 || request.entries.length > 10 || ids.size !== request.entries.length) return undefined;
      const failing =
        effect.entries === "matching"
          ? matching
          : request.entries.filter((e) => (effect.entries as (number | string)[]).some((x) => x === e.index || x === e.id)).map((e) => e.index);
      return failing.length > 0 ? { rule, effect, failing } : undefined;
    }
    return { rule, effect };
  }

  /**
   * The n-th time this request's message is seen: the same dedup id, else the same body (per queue), or
   * the same request for actions without messages. A batch takes its most-repeated entry.
   */
  private attemptOf(request: ParsedRequest): number {
    // A digest, not the body: up to ATTEMPT_MEMORY keys of 1 MiB bodies would be gigabytes.
    const keys = request.entries.length > 0
      ? request.entries.map((e) => digest(`${request.queue}\u0000${e.dedupId ?? e.receiptHandle ?? e.body ?? ""}`))
      : [digest(`${request.action}\u0000${request.queue}`)];
    let attempt = 0;
    // One request carrying the same message twice is still that message's one attempt.
    for (const key of new Set(keys)) {
      const n = (this.attempts.get(key) ?? 0) + 1;
      this.attempts.delete(key);
      this.attempts.set(key, n);
      attempt = Math.max(attempt, n);
    }
    // Oldest first in insertion order: forget them once the map is full.
    for (const key of this.attempts.keys()) {
      if (this.attempts.size <= ATTEMPT_MEMORY) break;
      this.attempts.delete(key);
    }
    return attempt;
  }

  private record(decision: FaultDecision, request: ParsedRequest): void {
    const { rule, effect } = decision;
    this.options.journal.emit({
      type: "fault.injected",
      rule: rule.index,
      ...(rule.name !== undefined ? { name: rule.name } : {}),
      action: request.action,
      ...(request.queue !== undefined ? { queue: request.queue } : {}),
      effect: rule.effect.kind === "throttle" ? "throttle" : effect.kind,
      ...(effect.kind === "error" ? { error: effect.error } : {}),
      ...(effect.kind === "partial" ? { code: effect.code, senderFault: effect.senderFault } : {}),
      ...(decision.delayMs !== undefined ? { delayMs: decision.delayMs } : {}),
      ...(decision.failing ? { entries: decision.failing.map((i) => request.entries[i]?.id ?? String(i)) } : {}),
    });
  }
}

/**
 * Indexes of the entries the rule's entry-level match selects (all entries when it has none), or
 * undefined when the request does not match at all.
 */
function matchingEntries(rule: FaultRule, request: ParsedRequest): number[] | undefined {
  const m = rule.match;
  if (m.queue !== undefined && request.queue !== queueNameOf(m.queue)) return undefined;
  const entryLevel = m.group !== undefined || m.entry !== undefined || m.body !== undefined || m.attribute !== undefined;
  if (!entryLevel) return request.entries.map((e) => e.index);
  const body = m.body !== undefined ? bodyTest(m.body) : undefined;
  const selected = request.entries.filter(
    (e: RequestEntry) =>
      (m.group === undefined || e.groupId === m.group) &&
      (m.entry === undefined || e.index === m.entry || e.id === m.entry) &&
      (body === undefined || (e.body !== undefined && body(e.body))) &&
      (m.attribute === undefined || (m.attribute.name in e.attributes && (m.attribute.value === undefined || e.attributes[m.attribute.name] === m.attribute.value))),
  );
  return selected.length > 0 ? selected.map((e) => e.index) : undefined;
}

function digest(text: string): string {
  return createHash("sha1").update(text).digest("base64");
}

function bodyTest(pattern: string): (body: string) => boolean {
  const regex = pattern.startsWith("/") ? regexOf(pattern) : undefined;
  return regex ? (body) => regex.test(body) : (body) => body.includes(pattern);
}

function queueNameOf(queue: string): string {
  const path = queue.replace(/\/+$/, "");
  return path.slice(path.lastIndexOf("/") + 1);
}
