/** Edit distance (insert, delete, substitute), for did-you-mean hints on misspelt keys. */
export function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/** The closest allowed word within distance 2 (case-insensitive ties broken by list order), if any. */
export function didYouMean(word: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of allowed) {
    const d = Math.min(levenshtein(word, candidate), levenshtein(word.toLowerCase(), candidate.toLowerCase()));
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/** "Unknown key 'timelin' in the scenario. Did you mean 'timeline'?" */
export function unknownKeyMessage(key: string, where: string, allowed: readonly string[]): string {
  const hint = didYouMean(key, allowed);
  return `Unknown key '${key}' in ${where}.` + (hint ? ` Did you mean '${hint}'?` : ` Allowed: ${allowed.join(", ")}.`);
}
