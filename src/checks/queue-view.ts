import type { JournalRecord } from "../journal/index.js";
import { LIMITS } from "../sqs/index.js";

/** A queue as the journal has shown it so far: its type and attributes, and the records that set them. */
export interface QueueState {
  name: string;
  fifo: boolean;
  attributes: Record<string, string>;
  /** `queue.created` and every `queue.attributesChanged` since: evidence for a limit the queue imposed. */
  defined: JournalRecord[];
}

export interface DestinationState {
  queue: string;
  fifo: boolean;
  saved: JournalRecord;
}

/**
 * Follows queues and destinations through a journal in order, so each batch is judged against the queue
 * as it was when the batch was formed (SetQueueAttributes can lower MaximumMessageSize mid-run).
 */
export class QueueView {
  private readonly queues = new Map<string, QueueState>();
  private readonly destinations = new Map<string, DestinationState>();

  /** Takes in one record; returns whether it was about queues or destinations. */
  observe(r: JournalRecord): boolean {
    switch (r.type) {
      case "queue.created":
        this.queues.set(r.queue, { name: r.queue, fifo: r.fifo, attributes: { ...r.attributes }, defined: [r] });
        return true;
      case "queue.attributesChanged": {
        const q = this.queues.get(r.queue);
        if (!q) return true;
        // SetQueueAttributes with "" clears an attribute back to its default.
        for (const [k, v] of Object.entries(r.attributes)) if (v === "") delete q.attributes[k];
        else q.attributes[k] = v;
        q.defined.push(r);
        return true;
      }
      case "queue.deleted":
        this.queues.delete(r.queue);
        return true;
      case "destination.saved":
        this.destinations.set(r.destination, { queue: queueNameOfUrl(r.queueUrl), fifo: r.fifo, saved: r });
        return true;
      case "destination.deleted":
        this.destinations.delete(r.destination);
        return true;
      default:
        return false;
    }
  }

  destination(name: string): DestinationState | undefined {
    return this.destinations.get(name);
  }

  queue(name: string | undefined): QueueState | undefined {
    return name === undefined ? undefined : this.queues.get(name);
  }
}

/** The queue's MaximumMessageSize: its attribute, else SQS's default (1 MiB since August 2025, SQS-FACTS "Limits"). */
export function maxMessageSize(q: QueueState | undefined): number {
  const set = Number(q?.attributes.MaximumMessageSize);
  return Number.isSafeInteger(set) && set > 0 ? set : LIMITS.maxMessageSizeDefault;
}

/** A queue URL's last path segment is the queue's name (`https://sqs.us-east-1.amazonaws.com/123456789012/orders`). */
export function queueNameOfUrl(url: string): string {
  const path = url.split(/[?#]/)[0]!.replace(/\/+$/, "");
  const last = path.slice(path.lastIndexOf("/") + 1);
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}
