import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { Low, Memory } from "lowdb";
import { JSONFile } from "lowdb/node";
import { compileDestination, type SqsDestination } from "./destination.js";
import { isPlainObject } from "./field-error.js";
import { SecretBox } from "./secret-box.js";

/** The destinations file inside a data directory. */
export const DESTINATIONS_FILE = "destinations.json";

/** A secret as it sits in the file: `{ "sealed": "v1:…" }`. A plain string there is a hand-entered secret. */
interface SealedValue {
  sealed: string;
}

interface StoredFile {
  version: 1;
  /** Each a compiled destination whose secret fields are {@link SealedValue}s. */
  destinations: Record<string, unknown>[];
}

interface Entry {
  destination: SqsDestination;
  /** What the file holds for it; sealed once, so unrelated writes do not re-encrypt it. */
  record: Record<string, unknown>;
}

/** The fields sealed at rest; everything else stays readable so a person can browse the file. */
const SECRET_FIELDS = { ACCESS_KEYS: "secretAccessKey", ASSUME_ROLE: "externalId" } as const;

/** destinations.json cannot be loaded; names the file and, when known, the destination and field. */
export class DestinationFileError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly destination?: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "DestinationFileError";
  }
}

/**
 * The saved destinations: `DIR/destinations.json` (lowdb), or memory when there is no data directory.
 * The secret key and the ExternalId are sealed with {@link SecretBox} (key in `DIR/secret.key`), so the
 * file never holds them in clear (DESIGN "Engine": secrets are encrypted at rest); everything else stays
 * readable and hand-editable. Writes are serialized, because lowdb writes the whole file each time.
 *
 * @example
 * const store = await DestinationStore.open(dataDir);
 * await store.put(compiled);           // { created: true }
 * store.list();                        // decrypted, for the engine only; redact before showing
 */
export class DestinationStore {
  private entries: Map<string, Entry>;
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly db: Low<StoredFile>,
    private readonly box: SecretBox,
    entries: Map<string, Entry>,
  ) {
    this.entries = entries;
  }

  static async open(dir?: string): Promise<DestinationStore> {
    if (dir === undefined) {
      return new DestinationStore(new Low<StoredFile>(new Memory<StoredFile>(), emptyFile()), SecretBox.ephemeral(), new Map());
    }
    await mkdir(dir, { recursive: true });
    const file = join(dir, DESTINATIONS_FILE);
    const box = await SecretBox.open(dir);
    const db = new Low<StoredFile>(new JSONFile<StoredFile>(file), emptyFile());
    try {
      await db.read();
    } catch (err) {
      throw new DestinationFileError(`${file} is not valid JSON: ${(err as Error).message}`, file);
    }
    const { entries, hadClearSecrets } = load(db.data as unknown, file, box);
    const store = new DestinationStore(db, box, entries);
    // A secret typed in by hand is sealed at once, so it stays in clear no longer than it must.
    if (hadClearSecrets) await store.write(entries);
    return store;
  }

  /** Every destination, decrypted, in the order they were first saved. */
  list(): SqsDestination[] {
    return [...this.entries.values()].map((e) => structuredClone(e.destination));
  }

  get(name: string): SqsDestination | undefined {
    const entry = this.entries.get(name);
    return entry && structuredClone(entry.destination);
  }

  /** Saves (creates or replaces) a destination; resolves once the file is written. */
  put(destination: SqsDestination): Promise<{ created: boolean }> {
    const check = compileDestination(destination);
    if (!check.ok) {
      const errors = check.errors.map((e) => `${e.field}: ${e.message}`).join("; ");
      return Promise.reject(new Error(`Destination '${destination.name}' is not a compiled destination: ${errors}`));
    }
    const compiled = check.destination;
    return this.serialize(async () => {
      const created = !this.entries.has(compiled.name);
      const next = new Map(this.entries);
      next.set(compiled.name, { destination: compiled, record: seal(compiled, this.box) });
      await this.write(next);
      return { created };
    });
  }

  /** Removes a destination; resolves `false` when there was none of that name. */
  delete(name: string): Promise<boolean> {
    return this.serialize(async () => {
      if (!this.entries.has(name)) return false;
      const next = new Map(this.entries);
      next.delete(name);
      await this.write(next);
      return true;
    });
  }

  /** Runs `fn` after every earlier write settled, so no write is lost to another's whole-file write. */
  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Writes `next`, then makes it current: readers never see a destination the file does not hold. */
  private async write(next: Map<string, Entry>): Promise<void> {
    this.db.data = { version: 1, destinations: [...next.values()].map((e) => e.record) };
    await this.db.write();
    this.entries = next;
  }
}

function emptyFile(): StoredFile {
  return { version: 1, destinations: [] };
}

/** The AAD binding a sealed value to its destination and field (see {@link SecretBox}). */
function sealContext(name: string, field: string): string {
  return `sqsrig/destination/${name}/auth.${field}`;
}

function seal(destination: SqsDestination, box: SecretBox): Record<string, unknown> {
  const field = SECRET_FIELDS[destination.auth.mode];
  const auth: Record<string, unknown> = { ...destination.auth };
  const sealed: SealedValue = { sealed: box.seal(auth[field] as string, sealContext(destination.name, field)) };
  auth[field] = sealed;
  return { ...destination, auth };
}

function load(data: unknown, file: string, box: SecretBox): { entries: Map<string, Entry>; hadClearSecrets: boolean } {
  if (!isPlainObject(data) || data.version !== 1 || !Array.isArray(data.destinations)) {
    throw new DestinationFileError(`${file} must hold {"version": 1, "destinations": [...]}.`, file);
  }
  const entries = new Map<string, Entry>();
  let hadClearSecrets = false;
  data.destinations.forEach((record: unknown, i) => {
    const label = isPlainObject(record) && typeof record.name === "string" ? record.name : `#${i}`;
    const fail = (field: string, message: string) =>
      new DestinationFileError(`${file}: destination '${label}' (destinations[${i}]), field ${field}: ${message}`, file, label, field);
    if (!isPlainObject(record)) throw fail("(entry)", "must be an object.");
    const clear = unseal(record, label, box, fail);
    hadClearSecrets ||= clear.hadClearSecret;
    const check = compileDestination(clear.input);
    if (!check.ok) {
      const first = check.errors[0]!;
      const all = check.errors.map((e) => `${e.field}: ${e.message}`).join("; ");
      throw new DestinationFileError(`${file}: destination '${label}' (destinations[${i}]) is invalid: ${all}`, file, label, first.field);
    }
    const destination = check.destination;
    if (entries.has(destination.name)) throw fail("name", `a second destination named '${destination.name}'; names must be unique.`);
    entries.set(destination.name, { destination, record: clear.hadClearSecret ? seal(destination, box) : record });
  });
  return { entries, hadClearSecrets };
}

/** The record with its secret opened; a plain string secret (typed by hand) is taken as it is. */
function unseal(
  record: Record<string, unknown>,
  name: string,
  box: SecretBox,
  fail: (field: string, message: string) => DestinationFileError,
): { input: Record<string, unknown>; hadClearSecret: boolean } {
  const auth = record.auth;
  if (!isPlainObject(auth) || (auth.mode !== "ACCESS_KEYS" && auth.mode !== "ASSUME_ROLE")) {
    return { input: record, hadClearSecret: false }; // compileDestination names what is wrong
  }
  const field = SECRET_FIELDS[auth.mode];
  const value = auth[field];
  if (typeof value === "string") return { input: record, hadClearSecret: true };
  if (!isPlainObject(value) || typeof value.sealed !== "string") return { input: record, hadClearSecret: false };
  try {
    return { input: { ...record, auth: { ...auth, [field]: box.open(value.sealed, sealContext(name, field)) } }, hadClearSecret: false };
  } catch (err) {
    throw fail(`auth.${field}`, `${(err as Error).message}`);
  }
}
