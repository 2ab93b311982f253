/** What SDK v3 exposes of an SQS error: `name` from `__type`, `Code` from `x-amzn-query-error`. */
export interface SdkFailure {
  name: string;
  Code?: string;
  message: string;
  $fault?: string;
  $metadata: { httpStatusCode?: number };
}

/** Awaits a call that must fail and returns its error; a success fails the test. */
export async function failure(call: Promise<unknown>): Promise<SdkFailure> {
  let result: unknown;
  try {
    result = await call;
  } catch (err) {
    return err as SdkFailure;
  }
  throw new Error(`expected the call to fail, but it answered ${JSON.stringify(result)}`);
}

/** The error as one comparable object: `{ name, code, status, message }`. */
export async function failureOf(call: Promise<unknown>): Promise<{ name: string; code?: string; status?: number; message: string }> {
  const err = await failure(call);
  return { name: err.name, code: err.Code, status: err.$metadata?.httpStatusCode, message: err.message };
}
