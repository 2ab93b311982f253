import { randomUUID } from "node:crypto";
import { SQSClient } from "@aws-sdk/client-sqs";
import { VirtualClock } from "../../src/clock/index.js";
import { createJournal, type Journal } from "../../src/journal/index.js";
import { startEmulatorServer, type EmulatorServer, type EmulatorServerOptions } from "../../src/emulator/index.js";

/**
 * The SQS endpoint a conformance test talks to. By default an embedded emulator on a free port with a
 * manual virtual clock; with `SQSRIG_CONFORMANCE_ENDPOINT` set (LocalStack, real AWS) the same suite
 * runs against that endpoint, and cases that must move time skip themselves (`target.clock` is absent).
 */
export interface SqsTarget {
  readonly endpoint: string;
  readonly client: SQSClient;
  /** Present when the test controls time (embedded emulator). */
  readonly clock?: VirtualClock;
  readonly journal?: Journal;
  readonly server?: EmulatorServer;
  /** Moves virtual time forward; throws against a real endpoint. */
  advance(ms: number): Promise<void>;
  /** A fresh queue name (`prefix-<uuid>`), so tests never share queues. */
  name(prefix?: string): string;
  close(): Promise<void>;
}

export const CREDENTIALS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };

export function sdkClient(endpoint: string, extra: Partial<ConstructorParameters<typeof SQSClient>[0]> = {}): SQSClient {
  return new SQSClient({ endpoint, region: "us-east-1", credentials: CREDENTIALS, maxAttempts: 1, ...extra });
}

export async function createTarget(options: Partial<EmulatorServerOptions> = {}): Promise<SqsTarget> {
  const external = process.env.SQSRIG_CONFORMANCE_ENDPOINT;
  const name = (prefix = "q") => `${prefix}-${randomUUID().slice(0, 18)}`;
  if (external) {
    const client = sdkClient(external);
    return {
      endpoint: external,
      client,
      name,
      advance: () => Promise.reject(new Error("time cannot be moved on an external endpoint")),
      close: async () => client.destroy(),
    };
  }
  const clock = new VirtualClock({ timeScale: "manual" });
  const journal = createJournal(clock, { retain: 100_000 });
  const server = await startEmulatorServer({ port: 0, clock, journal, ...options });
  const client = sdkClient(server.url);
  return {
    endpoint: server.url,
    client,
    clock,
    journal,
    server,
    name,
    advance: (ms) => clock.advance(ms),
    close: async () => {
      client.destroy();
      await server.close();
    },
  };
}
