import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { link, mkdir, open, readFile, stat, unlink } from "node:fs/promises";
import { join } from "node:path";

/** The key file inside a data directory. */
export const SECRET_KEY_FILE = "secret.key";
const KEY_BYTES = 32;
/** 96-bit IVs: GCM's native size (NIST SP 800-38D §8.2), random per value. */
const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = "v1";

/** A sealed value could not be opened: malformed, tampered with, moved, or sealed under another key. */
export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretBoxError";
  }
}

/**
 * AES-256-GCM for the few secrets sqsrig keeps at rest (a destination's secret key and ExternalId).
 * Each value gets a fresh random IV; the result is `v1:<iv>:<tag>:<ciphertext>` in base64. `context`
 * is bound as additional authenticated data, so a sealed value copied to another field or destination
 * no longer opens: swapping one tenant's ExternalId into another's destination is exactly the
 * confused-deputy move ExternalId exists to stop.
 *
 * @example
 * const box = await SecretBox.open(dataDir);
 * const sealed = box.seal("wJalr…", "orders/auth.secretAccessKey");
 * box.open(sealed, "orders/auth.secretAccessKey"); // "wJalr…"
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  /** A box whose key lives only in this process (an in-memory store has nothing at rest). */
  static ephemeral(): SecretBox {
    return new SecretBox(randomBytes(KEY_BYTES));
  }

  /** The box of `dir`, creating `dir/secret.key` (mode 0600) on first use. */
  static async open(dir: string): Promise<SecretBox> {
    return new SecretBox(await loadOrCreateKey(dir));
  }

  seal(plain: string, context = ""): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, "utf8"));
    const ct = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return [VERSION, iv.toString("base64"), cipher.getAuthTag().toString("base64"), ct.toString("base64")].join(":");
  }

  open(sealed: string, context = ""): string {
    const parts = sealed.split(":");
    if (parts.length !== 4 || parts[0] !== VERSION) {
      throw new SecretBoxError(`Not a sealed value (expected ${VERSION}:<iv>:<tag>:<ciphertext>).`);
    }
    const [iv, tag, ct] = parts.slice(1).map((p) => Buffer.from(p, "base64"));
    if (iv!.length !== IV_BYTES || tag!.length !== TAG_BYTES) throw new SecretBoxError("Sealed value is malformed (IV or tag has the wrong length).");
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.key, iv!, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, "utf8"));
      decipher.setAuthTag(tag!);
      return Buffer.concat([decipher.update(ct!), decipher.final()]).toString("utf8");
    } catch {
      throw new SecretBoxError(
        "Sealed value failed authentication: it was altered, copied from another field or destination, or sealed with a different secret.key.",
      );
    }
  }
}

async function loadOrCreateKey(dir: string): Promise<Buffer> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, SECRET_KEY_FILE);
  try {
    return await readKey(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  // Written whole to a private temporary file, then linked into place: link() never replaces an
  // existing file, so two processes starting at once agree on one key, and a crash mid-write leaves
  // no half-written key behind (only a stray temporary file).
  const tmp = join(dir, `.${SECRET_KEY_FILE}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  const handle = await open(tmp, "wx", 0o600);
  try {
    await handle.writeFile(randomBytes(KEY_BYTES));
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(tmp, path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // A filesystem without hard links (some network and FUSE mounts): exclusive create instead.
    if (code === "EPERM" || code === "ENOTSUP" || code === "EOPNOTSUPP") await createExclusive(path, await readFile(tmp));
    else if (code !== "EEXIST") throw err;
  } finally {
    await unlink(tmp);
  }
  return readKey(path);
}

async function createExclusive(path: string, key: Buffer): Promise<void> {
  const handle = await open(path, "wx", 0o600).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "EEXIST") return undefined;
    throw err;
  });
  if (!handle) return;
  try {
    await handle.writeFile(key);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Refuses a key file others can read or write rather than tightening it: once group or others had
 * access the secrets may already be exposed, and quietly fixing the mode would hide that (OpenSSH
 * refuses an unprotected private key for the same reason). The error says how to fix it.
 */
async function readKey(path: string): Promise<Buffer> {
  const info = await stat(path);
  if (!info.isFile()) throw new Error(`${path} is not a regular file; it must hold sqsrig's 32-byte secret key.`);
  // POSIX permission bits mean nothing on Windows, where this check would refuse every file.
  if (process.platform !== "win32" && (info.mode & 0o077) !== 0) {
    const mode = (info.mode & 0o777).toString(8).padStart(4, "0");
    throw new Error(
      `${path} has permissions ${mode}: group or others can access the key that encrypts destination secrets. ` +
        `Run 'chmod 600 ${path}' (and rotate the stored secrets if others may have read it).`,
    );
  }
  const key = await readFile(path);
  if (key.length !== KEY_BYTES) {
    throw new Error(`${path} holds ${key.length} bytes, not a ${KEY_BYTES}-byte key; secrets sealed with the original key cannot be opened without it.`);
  }
  return key;
}
