import type { SqsQueue } from "./queue.js";

/** Who made a request, as far as the emulator can tell from its signature. */
export interface Principal {
  /** `arn:aws:iam::ACCOUNT:root`, or `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`. */
  arn: string;
  /** The IAM role ARN when the request used AssumeRole credentials. */
  roleArn?: string;
  accessKeyId?: string;
  /** `aws:userid`: `AROA…:SESSION` for an assumed role (what SQS reports as SenderId). */
  userId?: string;
}

/** Per-request facts the core needs from the adapter that received the request. */
export interface RequestContext {
  /** Base of queue URLs handed out, e.g. `http://127.0.0.1:4590`. */
  baseUrl: string;
  principal: Principal;
  /** Aborted when the client goes away, so a long poll stops before it takes messages. */
  signal?: AbortSignal;
}

/** What every action handler may use: the queues and the request. */
export interface ActionEnv {
  readonly region: string;
  readonly accountId: string;
  queueFromUrl(url: unknown): SqsQueue;
}
