import { execFile, spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect } from "vitest";
import { CREDENTIALS, createTarget, type SqsTarget } from "../../support/target.js";

/*
 * Runs the boto3 cases (driver.py and cases_*.py beside this file) in one Python process against a
 * fresh target, for the boto3*.test.ts files. botocore takes Error.Code from the `x-amzn-query-error`
 * header and the exception class and QueryErrorCode from the body's `__type` (botocore `parsers.py`
 * `_do_query_compatible_error_parse`, `handlers.py` `_handle_sqs_compatible_error`), so the cases
 * record exactly what a boto3 user sees.
 */

const root = fileURLToPath(new URL("../../../", import.meta.url));
const python = `${root}.venv/bin/python`;
const driver = fileURLToPath(new URL("./driver.py", import.meta.url));

/** Why the boto3 tests cannot run here, or undefined when they can. Printed once per file. */
export function boto3Missing(): string | undefined {
  let reason: string | undefined;
  if (!existsSync(python)) reason = `${python} not found (run scripts/setup-python.sh)`;
  else if (spawnSync(python, ["-c", "import boto3"], { timeout: 15_000 }).status !== 0) {
    reason = `boto3 is not importable by ${python} (run scripts/setup-python.sh)`;
  }
  if (reason) console.warn(`boto3 conformance skipped: ${reason}`);
  return reason;
}

/** What a case prints about one boto3 ClientError. */
export interface Boto3Error {
  class: string;
  /** Whether it was an instance of `client.exceptions.<the expected modelled shape>`. */
  isModeled: boolean;
  code: string;
  queryErrorCode: string | null;
  type: string | null;
  message: string;
  status: number;
}

// any: the JSON a Python case prints; each case has its own shape, read field by field in its test.
export type CaseResult = Record<string, any>;

export interface DriverOutput {
  meta: { boto3: string; botocore: string };
  cases: Record<string, CaseResult>;
}

function runDriver(endpoint: string, cases: readonly string[]): Promise<DriverOutput> {
  return new Promise((resolve, reject) => {
    execFile(
      python,
      [driver, endpoint, ...cases],
      {
        timeout: 60_000,
        maxBuffer: 16 * 1024 * 1024,
        env: {
          PATH: process.env.PATH ?? "/usr/bin:/bin",
          AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
          AWS_DEFAULT_REGION: "us-east-1",
          // Keep the developer's own AWS config (profiles, endpoints, retry modes) out of the run.
          AWS_CONFIG_FILE: "/dev/null",
          AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
          AWS_EC2_METADATA_DISABLED: "true",
          PYTHONDONTWRITEBYTECODE: "1",
          PYTHONIOENCODING: "utf-8",
        },
      },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`boto3 driver failed: ${err.message}\n${stderr}`));
        try {
          resolve(JSON.parse(stdout) as DriverOutput);
        } catch {
          reject(new Error(`boto3 driver printed no JSON:\n${stdout}\n${stderr}`));
        }
      },
    );
  });
}

/**
 * Registers beforeAll/afterAll that start a target and run `cases` once; returns accessors for the
 * run. `SQSRIG_BOTO3_DUMP=/tmp/boto3.json` writes everything boto3 saw, for reading a failure.
 */
export function useBoto3Cases(cases: readonly string[]) {
  let target: SqsTarget | undefined;
  let run: DriverOutput | undefined;
  beforeAll(async () => {
    target = await createTarget();
    run = await runDriver(target.endpoint, cases);
    const dump = process.env.SQSRIG_BOTO3_DUMP;
    if (dump) writeFileSync(dump, JSON.stringify(run, null, 2));
  }, 60_000);
  afterAll(() => target?.close());
  return {
    meta: () => run!.meta,
    result(name: string): CaseResult {
      const r = run?.cases[name];
      if (!r) throw new Error(`case ${name} did not run`);
      if (typeof r.crash === "string") throw new Error(`case ${name} crashed in Python:\n${r.crash}`);
      return r;
    },
  };
}

export function versionAtLeast(version: string, min: [number, number]): boolean {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return major > min[0] || (major === min[0] && minor >= min[1]);
}

/** The error fields boto3 reports, as AWS recorded them: `x-amzn-query-error` code, `__type`, text, status. */
export function awsError(code: string, queryErrorCode: string, message: string, status = 400) {
  return { code, queryErrorCode, type: "Sender", message, status };
}

/** Matches an integer string of exactly `n` digits (epoch seconds have 10, epoch milliseconds 13). */
export const anyDigits = (n: number) => expect.stringMatching(new RegExp(`^\\d{${n}}$`));
