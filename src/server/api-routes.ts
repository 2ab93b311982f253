import { Router } from "express";
import type { FaultInjector, FaultRule } from "../faults/index.js";
import { HttpError } from "./errors.js";
import { readJsonBody } from "./read-body.js";

/**
 * `/api` — what the UI and tools read and set at run time. Faults: `GET /api/faults` lists the rules in
 * force; `PUT /api/faults` replaces them all at once (a list, or `{rules: [...]}`), or answers 400 naming
 * each bad rule and field and leaves the running set untouched (DESIGN "Faults").
 */
export function createApiRouter(faults: FaultInjector): Router {
  const router = Router();
  router.get("/faults", (_req, res) => {
    res.json({ rules: faults.list().map(describeRule) });
  });
  router.put("/faults", async (req, res) => {
    const body = await readJsonBody(req);
    const set = faults.setRules(body);
    if (!set.ok) {
      throw new HttpError(
        400,
        "InvalidFaultRules",
        `The fault rules were not changed: ${set.errors.length} problem${set.errors.length === 1 ? "" : "s"}.`,
        set.errors.map((e) => ({ field: e.field, rule: "invalid", message: e.message })),
      );
    }
    res.json({ rules: set.rules.map(describeRule) });
  });
  return router;
}

/** A compiled rule as JSON: the effect under its own key again, durations in ms. */
function describeRule(rule: FaultRule): Record<string, unknown> {
  const { effect } = rule;
  const out: Record<string, unknown> = { index: rule.index, on: rule.on };
  if (rule.name !== undefined) out.name = rule.name;
  if (Object.keys(rule.match).length > 0) out.match = rule.match;
  if (effect.kind === "error") out.error = effect.error;
  else if (effect.kind === "delay") out.delay = effect.minMs === effect.maxMs ? effect.minMs : { min: effect.minMs, max: effect.maxMs };
  else if (effect.kind === "dropResponse") out.dropResponse = effect.as === "timeout" ? "timeout" : true;
  else if (effect.kind === "reset") out.reset = true;
  else if (effect.kind === "throttle") out.throttle = effect.limit === "aws" ? "aws" : { ...effect.limit, error: effect.error };
  else out.partial = { entries: effect.entries, senderFault: effect.senderFault, code: effect.code, message: effect.message };
  if (rule.times !== undefined) out.times = rule.times;
  if (rule.probability !== undefined) out.probability = rule.probability;
  if (rule.after !== undefined) out.after = rule.after;
  if (rule.during) out.during = { from: rule.during.fromMs, to: rule.during.toMs };
  return out;
}
