/**
 * The character offset of a JSON syntax error. V8 names a position for most errors but not for
 * "Unexpected token" ones, so those are found by bisecting prefixes: a prefix of valid JSON fails only
 * by ending early (or parses), so the shortest prefix that fails otherwise ends at the bad character.
 */
export function jsonErrorOffset(text: string, message: string): number {
  const at = /at position (\d+)/.exec(message);
  if (at) return Number(at[1]);
  let lo = 1;
  let hi = text.length;
  if (!failsInside(text, hi)) return text.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (failsInside(text, mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo - 1;
}

function failsInside(text: string, length: number): boolean {
  try {
    JSON.parse(text.slice(0, length));
    return false;
  } catch (e) {
    const message = e instanceof Error ? e.message : "";
    if (/end of JSON input/.test(message)) return false;
    const at = /at position (\d+)/.exec(message);
    return !(at && Number(at[1]) >= length);
  }
}
