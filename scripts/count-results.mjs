// Prints `N passed, M failed` (and skipped) from Vitest's JSON report; a file that failed to load
// counts as one failure. Exits 1 when the report is missing.
import { readFileSync } from "node:fs";

const path = process.argv[2];
let report;
try {
  report = JSON.parse(readFileSync(path, "utf8"));
} catch {
  console.log("0 passed, 1 failed");
  console.error(`no Vitest report at ${path}`);
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
let failed = report.numFailedTests ?? 0;
for (const file of report.testResults ?? []) {
  const anyFailed = (file.assertionResults ?? []).some((a) => a.status === "failed");
  if (file.status === "failed" && !anyFailed) failed++;
}
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
