import { mkdir, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import type { Argv } from "yargs";
import type { CommandContext } from "./command-context.js";
import { STARTER_FILES } from "./init-templates.js";

export interface InitArgs {
  dir: string;
  force: boolean;
}

/**
 * `sqsrig init [dir]` (DESIGN "Contracts"): writes a starter scenario, the handler its consumer loads and
 * a destination file. It never overwrites a file unless `--force` is given: it names the files in the
 * way and writes nothing (exit 2), so a second `init` cannot clobber a scenario someone has edited.
 */
export function initCommand(yargs: Argv, ctx: CommandContext) {
  return yargs.command<InitArgs>(
    "init [dir]",
    "Write a starter scenario, a handler and a destination file",
    (y) =>
      y
        .positional("dir", { type: "string", default: ".", describe: "Folder to write into (created if missing)" })
        .option("force", { type: "boolean", default: false, describe: "Overwrite files that already exist" }) as Argv<InitArgs>,
    async (args) => {
      const dirInfo = await stat(args.dir).catch(() => undefined);
      if (dirInfo && !dirInfo.isDirectory()) {
        console.error(`sqsrig: ${args.dir} is a file, not a folder; name a folder to write the starter files into.`);
        return ctx.setExitCode(2);
      }
      const targets = STARTER_FILES.map((f) => ({ ...f, full: join(args.dir, ...f.path.split("/")) }));
      const existing: string[] = [];
      for (const t of targets) if (await stat(t.full).catch(() => undefined)) existing.push(t.full);
      if (existing.length > 0 && !args.force) {
        console.error(`sqsrig: init would overwrite ${existing.map(shown).join(", ")}; nothing was written. Pass --force to replace ${existing.length === 1 ? "it" : "them"}.`);
        return ctx.setExitCode(2);
      }
      const width = Math.max(...targets.map((t) => shown(t.full).length));
      const lines = ["Wrote:"];
      for (const t of targets) {
        await mkdir(dirname(t.full), { recursive: true });
        await writeFile(t.full, t.content);
        lines.push(`  ${shown(t.full).padEnd(width)}  ${t.about}${existing.includes(t.full) ? " (replaced)" : ""}`);
      }
      const scenarios = shown(join(args.dir, "scenarios"));
      lines.push("", "Next:", `  npx sqsrig validate ${scenarios}`, `  npx sqsrig run ${scenarios}`, "");
      process.stdout.write(lines.join("\n"));
      ctx.setExitCode(0);
    },
  );
}

/** A path as the user would type it from here. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === "" ? "." : rel.startsWith("..") ? path : rel;
}
