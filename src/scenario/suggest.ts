import { didYouMean } from "../checks/index.js";

export { didYouMean, levenshtein } from "../checks/index.js";

/** "Unknown key 'timelin' in the scenario. Did you mean 'timeline'?" */
export function unknownKeyMessage(key: string, where: string, allowed: readonly string[]): string {
  const hint = didYouMean(key, allowed);
  return `Unknown key '${key}' in ${where}.` + (hint ? ` Did you mean '${hint}'?` : ` Allowed: ${allowed.join(", ")}.`);
}
