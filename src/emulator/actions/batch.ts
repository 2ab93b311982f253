import { LIMITS, SqsError, isSqsError, isValidBatchEntryId } from "../../sqs/index.js";
import { optionalObjectList, type Input } from "./params.js";

export interface BatchFailure {
  Id: string;
  SenderFault: boolean;
  Code: string;
  Message: string;
}

/** A *Batch answer. An empty list is left out, as AWS JSON does (recorded-errors F6: no `Failed: []`). */
export interface BatchOutput {
  Successful?: Input[];
  Failed?: BatchFailure[];
}

export function batchOutput(successful: Input[], failed: BatchFailure[]): BatchOutput {
  return {
    ...(successful.length > 0 ? { Successful: successful } : {}),
    ...(failed.length > 0 ? { Failed: failed } : {}),
  };
}

/**
 * The request-level checks every *Batch action shares, in the order SQS applies them: empty, too
 * many, malformed id, repeated id.
 */
export function batchEntries(input: Input, entryName: string): (Input & { Id: string })[] {
  const entries = optionalObjectList(input, "Entries") ?? [];
  if (entries.length === 0) {
    throw new SqsError("EmptyBatchRequest", `There should be at least one ${entryName} in the request.`);
  }
  if (entries.length > LIMITS.maxBatchEntries) {
    throw new SqsError(
      "TooManyEntriesInBatchRequest",
      `Maximum number of entries per request are ${LIMITS.maxBatchEntries}. You have sent ${entries.length}.`,
    );
  }
  const seen = new Set<string>();
  for (const entry of entries) {
    const id = entry.Id;
    if (typeof id !== "string" || !isValidBatchEntryId(id)) {
      throw new SqsError(
        "InvalidBatchEntryId",
        "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.",
      );
    }
    if (seen.has(id)) throw new SqsError("BatchEntryIdsNotDistinct", `Id ${id} repeated.`);
    seen.add(id);
  }
  return entries as (Input & { Id: string })[];
}

/** One entry's failure, in the shape of BatchResultErrorEntry. */
export function entryFailure(id: string, err: unknown): BatchFailure {
  if (isSqsError(err)) {
    return { Id: id, SenderFault: err.senderFault, Code: err.spec.queryCode, Message: err.message };
  }
  return { Id: id, SenderFault: false, Code: "InternalError", Message: "An internal error occurred." };
}

/** Runs `one` per entry, collecting successes and per-entry failures. */
export function eachEntry(entries: (Input & { Id: string })[], one: (entry: Input) => void): BatchOutput {
  const successful: Input[] = [];
  const failed: BatchFailure[] = [];
  for (const entry of entries) {
    try {
      one(entry);
      successful.push({ Id: entry.Id });
    } catch (err) {
      failed.push(entryFailure(entry.Id, err));
    }
  }
  return batchOutput(successful, failed);
}
