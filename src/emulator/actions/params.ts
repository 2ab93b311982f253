import { SqsError, dictionary } from "../../sqs/index.js";

/**
 * Readers for action input. The JSON protocol gives typed values; the query codec and hand-written
 * requests may give strings. Each reader names the parameter in its error, as SQS does.
 */
export type Input = Record<string, unknown>;

export function requireString(input: Input, name: string): string {
  const value = input[name];
  if (value === undefined || value === null || value === "") {
    throw new SqsError("MissingParameter", `The request must contain the parameter ${name}.`);
  }
  if (typeof value !== "string") throw wrongType(name, value, "a string");
  return value;
}

export function optionalString(input: Input, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw wrongType(name, value, "a string");
  return value;
}

export function optionalInt(input: Input, name: string): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  throw wrongType(name, value, "an integer");
}

export function intInRange(input: Input, name: string, min: number, max: number, reason: string): number | undefined {
  const value = optionalInt(input, name);
  if (value !== undefined && (value < min || value > max)) {
    throw new SqsError("InvalidParameterValue", `Value ${value} for parameter ${name} is invalid. Reason: ${reason}`);
  }
  return value;
}

export function optionalStringList(input: Input, name: string): string[] | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) throw wrongType(name, value, "a list of strings");
  return value as string[];
}

export function optionalStringMap(input: Input, name: string): Record<string, string> | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw wrongType(name, value, "a map of strings");
  const out = dictionary<string>();
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== "string") throw wrongType(`${name}.${k}`, v, "a string");
    out[k] = v;
  }
  return out;
}

export function optionalObjectList(input: Input, name: string): Input[] | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v) => v && typeof v === "object" && !Array.isArray(v))) {
    throw wrongType(name, value, "a list of structures");
  }
  return value as Input[];
}

function wrongType(name: string, value: unknown, expected: string): SqsError {
  const shown = typeof value === "string" ? value : JSON.stringify(value);
  return new SqsError("InvalidParameterValue", `Value ${shown} for parameter ${name} is invalid. Reason: must be ${expected}.`);
}
