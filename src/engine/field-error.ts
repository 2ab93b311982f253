/**
 * One problem with user input: the field path it is about (`auth.roleArn`, `metadata.tier`), the rule
 * it broke (a stable token callers can switch on) and a sentence for people.
 */
export interface FieldError {
  field: string;
  rule: string;
  message: string;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
