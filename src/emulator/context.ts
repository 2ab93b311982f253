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
  /**
   * The request's `X-Amzn-Trace-Id` header. SendMessage and SendMessageBatch store it as the
   * `AWSTraceHeader` system attribute of every message that does not set one itself (AWS X-Ray
   * developer guide, "Amazon SQS and AWS X-Ray").
   */
  traceHeader?: string;
}
