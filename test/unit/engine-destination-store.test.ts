import { chmod, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileDestination, type SqsDestination } from "../../src/engine/destination.js";
import { DestinationFileError, DestinationStore } from "../../src/engine/destination-store.js";
import { SecretBox, SecretBoxError } from "../../src/engine/secret-box.js";
import { useTempDirs } from "../support/temp-dirs.js";

/**
 * Secrets at rest and the destination store. The secrets are an IAM secret access key and an STS
 * ExternalId: IAM User Guide, "Manage access keys for IAM users" (protect the secret key like a
 * password) and "Access to AWS accounts owned by third parties" (the ExternalId is per tenant). The
 * cipher is AES-256-GCM with a 96-bit random IV per value (NIST SP 800-38D §8.2).
 */
const makeDir = useTempDirs("store");
const tempDir = async (): Promise<string> => makeDir();

const SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYzEXAMPLEKEY";
const EXTERNAL_ID = "tenant-42-7f3c9a";

function keysDestination(name: string, extra: Record<string, unknown> = {}): SqsDestination {
  const check = compileDestination({
    type: "SQS",
    name,
    queueUrl: `https://sqs.us-east-1.amazonaws.com/123456789012/${name}`,
    region: "us-east-1",
    auth: { mode: "ACCESS_KEYS", accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: SECRET },
    ...extra,
  });
  if (!check.ok) throw new Error(JSON.stringify(check.errors));
  return check.destination;
}

function roleDestination(name: string): SqsDestination {
  const check = compileDestination({
    type: "SQS",
    name,
    queueUrl: `https://sqs.eu-west-1.amazonaws.com/123456789012/${name}.fifo`,
    region: "eu-west-1",
    auth: { mode: "ASSUME_ROLE", roleArn: "arn:aws:iam::123456789012:role/pushrail-delivery", externalId: EXTERNAL_ID },
  });
  if (!check.ok) throw new Error(JSON.stringify(check.errors));
  return check.destination;
}

describe("SecretBox (AES-256-GCM, NIST SP 800-38D)", () => {
  it("round-trips a value, with a fresh IV each time", () => {
    const box = SecretBox.ephemeral();
    const a = box.seal(SECRET, "ctx");
    const b = box.seal(SECRET, "ctx");
    expect(a).toMatch(/^v1:[A-Za-z0-9+/=]{16}:[A-Za-z0-9+/=]{24}:[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(SECRET);
    expect(box.open(a, "ctx")).toBe(SECRET);
    expect(box.open(b, "ctx")).toBe(SECRET);
    expect(box.open(box.seal("", "")).length).toBe(0);
  });

  it("refuses a tampered value, another context, another key and a malformed string", () => {
    const box = SecretBox.ephemeral();
    const sealed = box.seal(SECRET, "orders/auth.secretAccessKey");
    const [v, iv, tag, ct] = sealed.split(":") as [string, string, string, string];
    const flip = (b64: string) => {
      const bytes = Buffer.from(b64, "base64");
      bytes[0]! ^= 1;
      return bytes.toString("base64");
    };
    const tampered = [
      [v, iv, tag, flip(ct)].join(":"),
      [v, iv, flip(tag), ct].join(":"),
      [v, flip(iv), tag, ct].join(":"),
    ];
    for (const t of tampered) expect(() => box.open(t, "orders/auth.secretAccessKey")).toThrow(/failed authentication/);
    expect(() => box.open(sealed, "billing/auth.secretAccessKey")).toThrow(SecretBoxError);
    expect(() => SecretBox.ephemeral().open(sealed, "orders/auth.secretAccessKey")).toThrow(/different secret\.key/);
    expect(() => box.open(SECRET)).toThrow(/Not a sealed value/);
    expect(() => box.open("v1:AAAA:BBBB:CCCC")).toThrow(/malformed/);
  });

  it("creates DIR/secret.key with mode 0600 and reuses it on the next open", async () => {
    const dir = await tempDir();
    const box = await SecretBox.open(dir);
    const info = await stat(join(dir, "secret.key"));
    if (process.platform !== "win32") expect(info.mode & 0o777).toBe(0o600);
    expect(info.size).toBe(32);
    const again = await SecretBox.open(dir);
    expect(again.open(box.seal(SECRET))).toBe(SECRET);
  });

  it("agrees on one key when two opens race on a fresh directory", async () => {
    const dir = await tempDir();
    const boxes = await Promise.all(Array.from({ length: 6 }, () => SecretBox.open(dir)));
    const sealed = boxes[0]!.seal(SECRET);
    for (const box of boxes) expect(box.open(sealed)).toBe(SECRET);
  });

  it.skipIf(process.platform === "win32")("refuses a key file group or others can read, saying how to fix it", async () => {
    const dir = await tempDir();
    await SecretBox.open(dir);
    const path = join(dir, "secret.key");
    await chmod(path, 0o644);
    await expect(SecretBox.open(dir)).rejects.toThrow(`${path} has permissions 0644`);
    await expect(SecretBox.open(dir)).rejects.toThrow(`chmod 600 ${path}`);
    await chmod(path, 0o600);
    await writeFile(path, Buffer.alloc(16));
    await expect(SecretBox.open(dir)).rejects.toThrow(/holds 16 bytes, not a 32-byte key/);
  });
});

describe("DestinationStore (lowdb destinations.json)", () => {
  it("stores both auth modes with the secrets sealed: the raw file has no secret in clear", async () => {
    const dir = await tempDir();
    const store = await DestinationStore.open(dir);
    expect(await store.put(keysDestination("orders"))).toEqual({ created: true });
    expect(await store.put(roleDestination("billing"))).toEqual({ created: true });
    const raw = await readFile(join(dir, "destinations.json"), "utf8");
    expect(raw).not.toContain(SECRET);
    expect(raw).not.toContain(EXTERNAL_ID);
    const file = JSON.parse(raw) as { version: number; destinations: { auth: Record<string, unknown> }[] };
    expect(file.version).toBe(1);
    expect(file.destinations[0]!.auth.secretAccessKey).toEqual({ sealed: expect.stringMatching(/^v1:/) });
    expect(file.destinations[1]!.auth.externalId).toEqual({ sealed: expect.stringMatching(/^v1:/) });
    // What a person debugs with stays readable.
    expect(file.destinations[0]!.auth.accessKeyId).toBe("AKIAIOSFODNN7EXAMPLE");
    expect(file.destinations[1]!.auth.roleArn).toBe("arn:aws:iam::123456789012:role/pushrail-delivery");

    expect(store.list()).toEqual([keysDestination("orders"), roleDestination("billing")]);
    expect(store.get("billing")).toEqual(roleDestination("billing"));
    expect(store.get("missing")).toBeUndefined();
  });

  it("survives a reopen, replaces by name, deletes, and keeps `enabled`", async () => {
    const dir = await tempDir();
    const store = await DestinationStore.open(dir);
    await store.put(keysDestination("orders"));
    await store.put(roleDestination("billing"));
    expect(await store.put(keysDestination("orders", { enabled: false }))).toEqual({ created: false });
    expect(await store.delete("billing")).toBe(true);
    expect(await store.delete("billing")).toBe(false);

    const reopened = await DestinationStore.open(dir);
    expect(reopened.list()).toEqual([keysDestination("orders", { enabled: false })]);
    expect(reopened.get("orders")?.enabled).toBe(false);
  });

  it("keeps every one of many concurrent puts (writes are serialized)", async () => {
    const dir = await tempDir();
    const store = await DestinationStore.open(dir);
    const names = Array.from({ length: 12 }, (_, i) => `dest-${i}`);
    const results = await Promise.all(names.map((n, i) => store.put(i % 2 ? keysDestination(n) : roleDestination(n))));
    expect(results.every((r) => r.created)).toBe(true);
    const reopened = await DestinationStore.open(dir);
    expect(reopened.list().map((d) => d.name).sort()).toEqual([...names].sort());
  });

  it("returns copies, so a caller cannot change what is stored", async () => {
    const store = await DestinationStore.open();
    await store.put(keysDestination("orders"));
    const got = store.get("orders")!;
    got.queueUrl = "https://sqs.us-east-1.amazonaws.com/123456789012/other";
    expect(store.get("orders")!.queueUrl).toBe("https://sqs.us-east-1.amazonaws.com/123456789012/orders");
  });

  it("works in memory without a data directory", async () => {
    const store = await DestinationStore.open();
    expect(await store.put(roleDestination("billing"))).toEqual({ created: true });
    expect(store.list()).toEqual([roleDestination("billing")]);
    expect(await store.delete("billing")).toBe(true);
    expect(store.list()).toEqual([]);
  });

  it("refuses a destination that does not compile", async () => {
    const store = await DestinationStore.open();
    const bad = { ...keysDestination("orders"), region: "mars" };
    await expect(store.put(bad)).rejects.toThrow(/region/);
    expect(store.list()).toEqual([]);
  });
});

describe("DestinationStore loading a hand-edited destinations.json", () => {
  async function saved(): Promise<{ dir: string; path: string; file: { destinations: Record<string, unknown>[] } }> {
    const dir = await tempDir();
    const store = await DestinationStore.open(dir);
    await store.put(keysDestination("orders"));
    await store.put(roleDestination("billing"));
    const path = join(dir, "destinations.json");
    return { dir, path, file: JSON.parse(await readFile(path, "utf8")) };
  }

  it("names the file, the destination and the field that fails compileDestination", async () => {
    const { dir, path, file } = await saved();
    (file.destinations[1]!.auth as Record<string, unknown>).roleArn = "role/pushrail";
    await writeFile(path, JSON.stringify(file));
    const err = await DestinationStore.open(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DestinationFileError);
    expect(err).toMatchObject({ file: path, destination: "billing", field: "auth.roleArn" });
    expect((err as Error).message).toContain(`${path}: destination 'billing' (destinations[1]) is invalid: auth.roleArn:`);
  });

  it("names the field whose sealed value was moved to another destination", async () => {
    const { dir, path, file } = await saved();
    const orders = file.destinations[0]!.auth as Record<string, unknown>;
    file.destinations.push({ ...file.destinations[0]!, name: "copy", auth: { ...orders } });
    await writeFile(path, JSON.stringify(file));
    await expect(DestinationStore.open(dir)).rejects.toThrow(
      `${path}: destination 'copy' (destinations[2]), field auth.secretAccessKey: Sealed value failed authentication`,
    );
  });

  it("says so when the file is not JSON, or two destinations share a name", async () => {
    const { dir, path, file } = await saved();
    await writeFile(path, "{ not json");
    await expect(DestinationStore.open(dir)).rejects.toThrow(`${path} is not valid JSON`);
    file.destinations.push(file.destinations[0]!);
    await writeFile(path, JSON.stringify(file));
    await expect(DestinationStore.open(dir)).rejects.toThrow(`${path}: destination 'orders' (destinations[2]), field name: a second destination named 'orders'`);
  });

  it("seals a secret typed in clear as soon as the store opens", async () => {
    const { dir, path, file } = await saved();
    (file.destinations[0]!.auth as Record<string, unknown>).secretAccessKey = "typed-by-hand-SECRET";
    await writeFile(path, JSON.stringify(file));
    const store = await DestinationStore.open(dir);
    expect(store.get("orders")!.auth).toMatchObject({ secretAccessKey: "typed-by-hand-SECRET" });
    const raw = await readFile(path, "utf8");
    expect(raw).not.toContain("typed-by-hand-SECRET");
    expect((await DestinationStore.open(dir)).get("orders")!.auth).toMatchObject({ secretAccessKey: "typed-by-hand-SECRET" });
  });
});

// Seed 000 / DESIGN "Engine": routing delivers to every enabled destination.
describe("compileDestination enabled flag", () => {
  it("keeps enabled when given and rejects a non-boolean", () => {
    expect(keysDestination("a").enabled).toBeUndefined();
    expect(keysDestination("a", { enabled: true }).enabled).toBe(true);
    const bad = compileDestination({ ...keysDestination("a"), enabled: "yes" });
    expect(bad).toEqual({ ok: false, errors: [{ field: "enabled", rule: "type", message: "enabled must be true or false." }] });
  });
});
