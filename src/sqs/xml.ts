const XML_ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

/**
 * Escapes text for XML element content, for the SQS and STS query-protocol answers alike. `\r` becomes
 * `&#xD;` as AWS writes it: a literal CR would be folded into `\n` by every XML parser, and a message
 * body's MD5 would no longer match. Control characters XML 1.0 forbids also become character
 * references; SQS rejects them in message bodies, so they can only come from elsewhere (an error
 * message quoting a parameter), and a visible reference beats silently dropping them.
 *
 * @example
 * escapeXml("a<b\r\n") // "a&lt;b&#xD;\n"
 */
export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"'\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g,
    (ch) => XML_ENTITIES[ch] ?? `&#x${ch.charCodeAt(0).toString(16).toUpperCase()};`,
  );
}
