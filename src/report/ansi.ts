// Plain ANSI escapes (no colour library): SGR colours, and the cursor moves the live status block needs.

/** Paints text when colour is on, and is the identity when it is off (so tests read plain text). */
export interface Paint {
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

function sgr(open: number, close: number): (text: string) => string {
  return (text) => `\u001b[${open}m${text}\u001b[${close}m`;
}

const identity = (text: string): string => text;

export function createPaint(color: boolean): Paint {
  if (!color) return { green: identity, red: identity, yellow: identity, dim: identity, bold: identity };
  return { green: sgr(32, 39), red: sgr(31, 39), yellow: sgr(33, 39), dim: sgr(2, 22), bold: sgr(1, 22) };
}

/**
 * Whether to colour, as Node and most CLIs decide: `FORCE_COLOR` forces it on (`0` or `false` forces it
 * off), a non-empty `NO_COLOR` turns it off (no-color.org), otherwise colour when writing to a terminal.
 */
export function wantsColor(stream: { isTTY?: boolean }, env: Readonly<Record<string, string | undefined>>): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force.toLowerCase() !== "false";
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return stream.isTTY === true;
}

/** Moves the cursor to the start of the line `lines` above and clears everything below it. */
export function eraseLinesAbove(lines: number): string {
  return lines > 0 ? `\u001b[${lines}F\u001b[0J` : "";
}

/** Text without SGR sequences (what a person sees), for width accounting and tests. */
export function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, "");
}
