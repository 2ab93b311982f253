/**
 * Where a JSON text first breaks. Node 20's `JSON.parse` errors often carry no position ("Unexpected
 * token '}', ... is not valid JSON"), and a person fixing a request needs line and column. Only run after
 * `JSON.parse` failed. Iterative (an explicit stack), so a body of a million `[` cannot overflow the stack.
 */
export interface JsonSyntaxProblem {
  /** Offset into the text (UTF-16 units) where the problem starts. */
  offset: number;
  /** What was wrong, e.g. "expected ',' or '}'". */
  problem: string;
}

export interface LineColumn {
  /** 1-based. */
  line: number;
  /** 1-based, in characters. */
  column: number;
}

type Expect = "value" | "valueOrClose" | "key" | "keyOrClose" | "colon" | "after" | "done";

export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  const stack: string[] = [];
  let i = 0;
  let expect: Expect = "value";
  const afterValue = (): Expect => (stack.length === 0 ? "done" : "after");
  for (;;) {
    i = skipWhitespace(text, i);
    if (expect === "done") return i < text.length ? { offset: i, problem: "unexpected text after the JSON value" } : undefined;
    if (i >= text.length) return { offset: i, problem: `unexpected end of input (${describe(expect, stack)})` };
    const c = text[i]!;
    switch (expect) {
      case "value":
      case "valueOrClose": {
        if (expect === "valueOrClose" && c === "]") {
          stack.pop();
          i++;
          expect = afterValue();
        } else if (c === "{" || c === "[") {
          stack.push(c);
          i++;
          expect = c === "{" ? "keyOrClose" : "valueOrClose";
        } else {
          const end = scanScalar(text, i);
          if (typeof end !== "number") return end;
          i = end;
          expect = afterValue();
        }
        break;
      }
      case "key":
      case "keyOrClose": {
        if (expect === "keyOrClose" && c === "}") {
          stack.pop();
          i++;
          expect = afterValue();
          break;
        }
        if (c !== '"') return { offset: i, problem: `expected a property name in double quotes, found ${shown(c)}` };
        const end = scanString(text, i);
        if (typeof end !== "number") return end;
        i = end;
        expect = "colon";
        break;
      }
      case "colon":
        if (c !== ":") return { offset: i, problem: `expected ':' after the property name, found ${shown(c)}` };
        i++;
        expect = "value";
        break;
      case "after": {
        const close = stack.at(-1) === "{" ? "}" : "]";
        if (c === ",") {
          i++;
          expect = close === "}" ? "key" : "value";
        } else if (c === close) {
          stack.pop();
          i++;
          expect = afterValue();
        } else {
          return { offset: i, problem: `expected ',' or '${close}', found ${shown(c)}` };
        }
        break;
      }
    }
  }
}

/** Line and column of an offset; `\r\n`, `\n` and a lone `\r` each end a line. */
export function lineColumnAt(text: string, offset: number): LineColumn {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function describe(expect: Expect, stack: string[]): string {
  if (expect === "colon") return "expected ':'";
  if (expect === "key" || expect === "keyOrClose") return "expected a property name";
  if (expect === "after") return `expected ',' or '${stack.at(-1) === "{" ? "}" : "]"}'`;
  return "expected a value";
}

function skipWhitespace(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
    i++;
  }
  return i;
}

function scanScalar(text: string, i: number): number | JsonSyntaxProblem {
  const c = text[i]!;
  if (c === '"') return scanString(text, i);
  if (c === "-" || (c >= "0" && c <= "9")) return scanNumber(text, i);
  for (const literal of ["true", "false", "null"]) {
    if (text.startsWith(literal, i)) return i + literal.length;
  }
  if (c === "]" || c === "}" || c === ",") return { offset: i, problem: `expected a value, found ${shown(c)}` };
  return { offset: i, problem: `unexpected ${shown(c)} (strings need double quotes)` };
}

function scanString(text: string, start: number): number | JsonSyntaxProblem {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) return i + 1;
    if (c < 0x20) return { offset: i, problem: "control character (such as a raw line break) inside a string; escape it" };
    if (c === 92) {
      const next = text[i + 1];
      if (next === "u") {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return { offset: i, problem: "bad \\u escape: it needs four hex digits" };
        i += 5;
      } else if (next !== undefined && '"\\/bfnrt'.includes(next)) {
        i++;
      } else {
        return { offset: i, problem: `bad escape ${shown(`\\${next ?? ""}`)} in a string` };
      }
    }
  }
  return { offset: start, problem: "string is never closed" };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

function scanNumber(text: string, i: number): number | JsonSyntaxProblem {
  NUMBER.lastIndex = i;
  const m = NUMBER.exec(text);
  if (!m || m[0] === "-") return { offset: i, problem: "malformed number" };
  const end = i + m[0].length;
  // `01`, `1.`, `1e` stop the match early; the character after it must end the number.
  const next = text[end];
  if (next !== undefined && /[0-9.eE+-]/.test(next)) return { offset: end, problem: "malformed number" };
  return end;
}

function shown(c: string): string {
  return JSON.stringify(c);
}

export type JsonParse = { ok: true; value: unknown } | { ok: false; line: number; column: number; message: string };

/**
 * `JSON.parse` that says where malformed text breaks: "Malformed JSON at line 3, column 9: expected ',' or '}'."
 *
 * @example
 * const parsed = parseJsonText(text);
 * if (!parsed.ok) console.error(`${file}: ${parsed.message}`);
 */
export function parseJsonText(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    const problem = findJsonSyntaxProblem(text) ?? { offset: 0, problem: "not valid JSON" };
    const { line, column } = lineColumnAt(text, problem.offset);
    return { ok: false, line, column, message: `Malformed JSON at line ${line}, column ${column}: ${problem.problem}.` };
  }
}
