/**
 * SQS quotas and ranges, from the SQS API reference (CreateQueue, SendMessage, ReceiveMessage) and the
 * SQS quotas page. `MaximumMessageSize` defaults to 1 MiB since August 2025.
 */
export const LIMITS = {
  maxMessageSizeDefault: 1_048_576,
  maxMessageSizeMin: 1_024,
  maxMessageSizeMax: 1_048_576,
  maxBatchBytes: 1_048_576,
  maxBatchEntries: 10,
  maxBatchEntryIdLength: 80,
  maxMessageAttributes: 10,
  maxAttributeNameLength: 256,
  maxDataTypeLength: 256,
  visibilityTimeoutDefault: 30,
  visibilityTimeoutMax: 43_200,
  waitTimeSecondsMax: 20,
  delaySecondsMax: 900,
  retentionDefault: 345_600,
  retentionMin: 60,
  retentionMax: 1_209_600,
  maxReceiveCountMin: 1,
  maxReceiveCountMax: 1_000,
  dedupWindowMs: 5 * 60_000,
  receiveAttemptWindowMs: 5 * 60_000,
  purgeIntervalMs: 60_000,
  recreateAfterDeleteMs: 60_000,
  maxNumberOfMessagesMax: 10,
  maxGroupIdLength: 128,
  maxDedupIdLength: 128,
  maxQueueNameLength: 80,
  maxTagsPerQueue: 50,
  /**
   * In-flight messages per queue (SQS developer guide, "Amazon SQS standard queue quotas" and "Amazon
   * SQS FIFO queue quotas"; FIFO was 20,000 before). Emulator option `limits` can lower them.
   */
  maxInflightStandard: 120_000,
  maxInflightFifo: 120_000,
  maxListQueues: 1_000,
  moveTaskMaxRate: 500,
} as const;
