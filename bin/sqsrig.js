#!/usr/bin/env node
// The CLI runs from the compiled output; `npm ci` builds it (the `prepare` script).
// sqsrig supports Node >= 20.19 (package.json engines); the SDK's notice that its future releases will
// not is for library users planning upgrades, not for every CLI run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const { main } = await import("../dist/cli/index.js");

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
