import { createCredentialsProvider, sessionNameFor } from "./credentials.js";
import type { SqsDestination } from "./destination.js";
import { ENGINE_DEFAULTS, type EngineOptions } from "./engine-options.js";
import type { QueueClient } from "./queue-client.js";
import { createSqsQueueClient } from "./sqs-queue-client.js";

/**
 * The client a destination sends with: the configured factory (the fault layer), or the AWS SDK sender
 * with the destination's credentials. `onExpired` forces a fresh AssumeRole and says whether one is
 * possible, which decides if ExpiredToken is worth a retry.
 */
export function createQueueClientFor(destination: SqsDestination, options: EngineOptions): { client: QueueClient; onExpired: () => boolean } {
  const credentials = createCredentialsProvider(destination.auth, {
    clock: options.clock,
    region: destination.region,
    stsEndpoint: options.stsEndpoint,
    baseCredentials: options.baseCredentials,
    sessionName: sessionNameFor(destination.name),
  });
  const onExpired = () => {
    if (destination.auth.mode !== "ASSUME_ROLE") return false;
    credentials.invalidate();
    return true;
  };
  const inner = options.queueClientFactory
    ? options.queueClientFactory(destination)
    : createSqsQueueClient(destination, {
        credentials,
        endpoint: options.endpoint,
        ...(options.inProcessSqs ? { inProcess: options.inProcessSqs, clock: options.clock } : {}),
        requestTimeoutMs: options.requestTimeoutMs ?? ENGINE_DEFAULTS.requestTimeoutMs,
      });
  const client: QueueClient = {
    sendBatch: (entries) => inner.sendBatch(entries),
    getQueueInfo: () => inner.getQueueInfo(),
    close: () => {
      inner.close();
      credentials.close();
    },
  };
  return { client, onExpired };
}
