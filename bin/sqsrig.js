#!/usr/bin/env node
// The CLI runs from the compiled output; `npm ci` builds it (the `prepare` script).
import { main } from "../dist/cli/index.js";

main(process.argv.slice(2)).then(
  (code) => {
    if (typeof code === "number") process.exitCode = code;
  },
  (err) => {
    const message = err instanceof Error ? err.message : String(err);
    console.error(message.startsWith("sqsrig: ") ? message : `sqsrig: ${message}`);
    process.exitCode = 2;
  },
);
