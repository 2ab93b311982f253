// Follows DESIGN "Contracts" (`POST /v1/events` — "one canonical event, a JSON array, or NDJSON"; 400 with
// field-level errors otherwise), seed 000 ("Pushrail accepts the canonical event shape on POST /v1/events"),
// the NDJSON spec (ndjson.org: one JSON text per line, `\n` separated, `\r\n` allowed) and RFC 8259 for
// what is malformed JSON. No AWS document applies: this is the engine's own ingestion format.
import { describe, expect, it } from "vitest";
import { parseEventsBody, parseJsonText } from "../../src/server/index.js";
import { findJsonSyntaxProblem, lineColumnAt } from "../../src/server/json-syntax.js";

const A = { eventType: "a", n: 1 };
const B = { eventType: "b", n: 2 };

function items(text: string, contentType?: string) {
  const parsed = parseEventsBody(text, contentType);
  if (!parsed.ok) throw new Error(`expected items, got ${JSON.stringify(parsed.error)}`);
  return parsed;
}

function wholeBodyError(text: string, contentType?: string) {
  const parsed = parseEventsBody(text, contentType);
  if (parsed.ok) throw new Error(`expected a whole-body error, got ${JSON.stringify(parsed.items)}`);
  return parsed.error;
}

describe("parseEventsBody: the three shapes", () => {
  it("reads one JSON object as one event", () => {
    const parsed = items(JSON.stringify(A), "application/json");
    expect(parsed.format).toBe("object");
    expect(parsed.items).toEqual([{ ok: true, value: A }]);
  });

  it("reads a JSON array as its items, in order, even items that are not objects (the engine rejects those)", () => {
    const parsed = items(JSON.stringify([A, B, 7]), "application/json; charset=utf-8");
    expect(parsed.format).toBe("array");
    expect(parsed.items).toEqual([
      { ok: true, value: A },
      { ok: true, value: B },
      { ok: true, value: 7 },
    ]);
  });

  it("reads NDJSON declared by content type one event per non-empty line, with CRLF and blank lines", () => {
    for (const type of ["application/x-ndjson", "application/jsonl", "application/x-ndjson; charset=utf-8"]) {
      const parsed = items(`${JSON.stringify(A)}\r\n\r\n${JSON.stringify(B)}\n`, type);
      expect(parsed.format).toBe("ndjson");
      expect(parsed.items).toEqual([
        { ok: true, value: A },
        { ok: true, value: B },
      ]);
    }
  });

  it("treats a single-line NDJSON body with an NDJSON content type as one event", () => {
    expect(items(JSON.stringify(A), "application/x-ndjson").items).toEqual([{ ok: true, value: A }]);
  });

  it("recognises undeclared NDJSON: several JSON values, one per line", () => {
    const parsed = items(`${JSON.stringify(A)}\n${JSON.stringify(B)}`, "application/json");
    expect(parsed.format).toBe("ndjson");
    expect(parsed.items.map((i) => i.ok && i.value)).toEqual([A, B]);
  });

  it("strips a UTF-8 byte order mark before parsing", () => {
    expect(items(`\uFEFF${JSON.stringify(A)}`).items).toEqual([{ ok: true, value: A }]);
  });
});

describe("parseEventsBody: malformed input", () => {
  it("makes a malformed NDJSON line that item's error, naming line and column, and keeps the other lines", () => {
    const text = `${JSON.stringify(A)}\n{"eventType": "b",, }\n\n${JSON.stringify(B)}\n`;
    const parsed = items(text, "application/x-ndjson");
    expect(parsed.items).toHaveLength(3);
    expect(parsed.items[0]).toEqual({ ok: true, value: A });
    expect(parsed.items[2]).toEqual({ ok: true, value: B });
    const bad = parsed.items[1]!;
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.error.rule).toBe("malformedJson");
    // Line 2 of the body; the second comma is the 19th character of that line.
    expect(bad.error.message).toContain("line 2, column 19");
  });

  it("refuses a malformed single object as a whole, naming line and column", () => {
    const error = wholeBodyError('{\n  "eventType": "a",\n  "payload": {"x": 1,}\n}', "application/json");
    expect(error).toMatchObject({ status: 400, code: "MalformedJson", line: 3, column: 22 });
    expect(error.message).toBe("Malformed JSON at line 3, column 22: expected a property name in double quotes, found \"}\".");
  });

  it("refuses a truncated array as a whole, at the end of the text", () => {
    const error = wholeBodyError('[{"eventType": "a"},\n {"eventType": "b"', "application/json");
    // Just past the last character of line 2 (18 characters long).
    expect(error).toMatchObject({ code: "MalformedJson", line: 2, column: 19 });
    expect(error.message).toContain("unexpected end of input");
  });

  it("refuses an empty body, a whitespace body and an empty array", () => {
    expect(wholeBodyError("", "application/json")).toMatchObject({ status: 400, code: "EmptyBody" });
    expect(wholeBodyError(" \n\t ", undefined)).toMatchObject({ status: 400, code: "EmptyBody" });
    expect(wholeBodyError("[]", "application/json")).toMatchObject({ status: 400, code: "EmptyBody" });
    expect(wholeBodyError("\n\n", "application/x-ndjson")).toMatchObject({ status: 400, code: "EmptyBody" });
  });

  it("answers 415 for a content type that cannot hold JSON, and reads the form type curl -d sends", () => {
    expect(wholeBodyError(JSON.stringify(A), "application/xml")).toMatchObject({ status: 415, code: "UnsupportedMediaType" });
    expect(wholeBodyError(JSON.stringify(A), "multipart/form-data; boundary=x")).toMatchObject({ status: 415 });
    expect(items(JSON.stringify(A), "application/x-www-form-urlencoded").items).toEqual([{ ok: true, value: A }]);
    expect(items(JSON.stringify(A), "application/cloudevents+json").items).toEqual([{ ok: true, value: A }]);
  });
});

describe("JSON syntax locator", () => {
  it("finds no problem in valid JSON of every kind", () => {
    for (const text of ['{"a":[1,-2.5e3,true,false,null,"\\u00e9\\n"]}', "[]", "{}", " 0 ", '"x"', "[[[[]]]]"]) {
      expect(findJsonSyntaxProblem(text)).toBeUndefined();
      expect(parseJsonText(text).ok).toBe(true);
    }
  });

  it("names each kind of problem at the offending character", () => {
    const cases: [string, number, string][] = [
      ["{'a': 1}", 1, "expected a property name"],
      ['{"a" 1}', 5, "expected ':'"],
      ['{"a": 1 "b": 2}', 8, "expected ',' or '}'"],
      ["[1, 2,]", 6, "expected a value"],
      ["[01]", 2, "malformed number"],
      ['["a\nb"]', 3, "control character"],
      ['["\\x"]', 2, "bad escape"],
      ["[1] 2", 4, "after the JSON value"],
      ["[nul]", 1, "unexpected"],
    ];
    for (const [text, offset, problem] of cases) {
      const found = findJsonSyntaxProblem(text);
      expect(found, text).toBeDefined();
      expect(found!.offset, text).toBe(offset);
      expect(found!.problem, text).toContain(problem);
    }
  });

  it("handles deep nesting without overflowing the stack", () => {
    const deep = "[".repeat(200_000);
    expect(findJsonSyntaxProblem(deep)?.problem).toContain("unexpected end of input");
  });

  it("counts lines across LF, CRLF and lone CR", () => {
    expect(lineColumnAt("ab\ncd", 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumnAt("ab\r\ncd", 5)).toEqual({ line: 2, column: 2 });
    expect(lineColumnAt("ab\rcd", 3)).toEqual({ line: 2, column: 1 });
  });
});
