import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { encodeStsError, StsError } from "../../src/emulator/sts-wire.js";
import { escapeXml } from "../../src/emulator/xml.js";
import { md5OfBody } from "../../src/sqs/index.js";

// MD5OfMessageBody values recorded against AWS (recorded-errors F4, "Message bodies"); the digest is
// over the UTF-8 bytes (SendMessage API reference, MD5OfMessageBody).
describe("md5OfBody", () => {
  it("matches the AWS-recorded digests", () => {
    const recorded: [string, string][] = [
      ["msg", "6e2baaf3b97dbeef01c0043275f9a0e7"],
      ["test", "098f6bcd4621d373cade4e832627b4f6"],
      ["a".repeat(1024), "c9a34cfc85d982698c6ac89f76071abd"],
      ['{"foo": "bar"}', "94232c5b8fc9272f6f73a1e36eb68fcf"],
    ];
    for (const [body, md5] of recorded) expect(md5OfBody(body)).toBe(md5);
  });

  it("hashes the UTF-8 bytes of multi-byte text exactly as a streaming MD5 does", () => {
    for (const body of ["héllo wörld", "日本語テキスト", "🎉👩‍💻", "\r\n\t", "x".repeat(300_000) + "é"]) {
      expect(md5OfBody(body)).toBe(createHash("md5").update(Buffer.from(body, "utf8")).digest("hex"));
    }
  });
});

// STS API Reference "Common Errors" and the SQS query API return XML; a CR in text must survive a
// parser as `&#xD;` (XML 1.0 §2.11 normalises a literal CR to LF), and characters XML 1.0 forbids
// must never appear raw. SQS and STS share one rule.
describe("XML escaping", () => {
  it("escapes markup, CR and forbidden control characters", () => {
    expect(escapeXml(`a<b>&"c'\r\n\t\u0001\uFFFE`)).toBe("a&lt;b&gt;&amp;&quot;c&apos;&#xD;\n\t&#x1;&#xFFFE;");
  });

  it("is what STS error answers use too", () => {
    const reply = encodeStsError(new StsError("ValidationError", 400, "bad\r\nvalue \u0002"), "req-1");
    expect(reply.body).toContain("<Message>bad&#xD;\nvalue &#x2;</Message>");
  });
});
