// A tiny strict XML 1.0 reader for the JUnit tests: it throws on anything a strict parser (Jenkins' or
// GitLab's) would reject — unbalanced or crossed tags, unquoted or duplicate attributes, a raw `<` or a
// bare `&`, character references to characters XML 1.0 forbids, and forbidden raw characters — and gives
// back the element tree with references decoded, so tests can assert what a reader will see.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The decoded text directly inside this element (concatenated). */
  text: string;
}

const NAME = /^[A-Za-z_:][A-Za-z0-9_.:-]*/;
/** XML 1.0 `Char`, as single UTF-16 code units plus well-formed surrogate pairs. */
const RAW_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function legalChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

/** Decodes references, rejecting a bare `&`, unknown entities and references to forbidden characters. */
function decode(raw: string, where: string): string {
  const bad = RAW_FORBIDDEN.exec(raw);
  if (bad) throw new Error(`forbidden character U+${bad[0].charCodeAt(0).toString(16)} in ${where}`);
  return raw.replace(/&([^;&<\s]*);?/g, (whole, body: string) => {
    if (!whole.endsWith(";")) throw new Error(`bare & in ${where}: ${JSON.stringify(raw.slice(0, 60))}`);
    if (body.startsWith("#")) {
      const code = body.startsWith("#x") ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (!Number.isFinite(code) || !legalChar(code)) throw new Error(`illegal character reference &${body}; in ${where}`);
      return String.fromCodePoint(code);
    }
    const named = NAMED[body];
    if (named === undefined) throw new Error(`unknown entity &${body}; in ${where}`);
    return named;
  });
}

/** Parses a whole document: optional declaration, one root element, only whitespace around it. */
export function parseXml(doc: string): XmlElement {
  let i = 0;
  const decl = /^<\?xml\s[^?]*\?>/.exec(doc);
  if (decl) i = decl[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;

  while (i < doc.length) {
    const lt = doc.indexOf("<", i);
    const text = doc.slice(i, lt === -1 ? doc.length : lt);
    if (stack.length === 0) {
      if (text.trim() !== "") throw new Error(`text outside the root element: ${JSON.stringify(text.slice(0, 40))}`);
    } else {
      if (text.includes("]]>")) throw new Error("]]> in text");
      stack[stack.length - 1]!.text += decode(text, `<${stack[stack.length - 1]!.name}> text`);
    }
    if (lt === -1) break;
    i = lt;
    if (doc.startsWith("<!--", i)) {
      const end = doc.indexOf("-->", i);
      if (end === -1) throw new Error("unterminated comment");
      i = end + 3;
      continue;
    }
    if (doc.startsWith("</", i)) {
      const m = NAME.exec(doc.slice(i + 2));
      const open = stack.pop();
      if (!m || !open || m[0] !== open.name) throw new Error(`closing </${m?.[0]}> does not match <${open?.name}>`);
      i += 2 + m[0].length;
      const close = /^\s*>/.exec(doc.slice(i));
      if (!close) throw new Error(`malformed closing tag </${m[0]}>`);
      i += close[0].length;
      continue;
    }
    const m = NAME.exec(doc.slice(i + 1));
    if (!m) throw new Error(`raw < at ${i}`);
    if (stack.length === 0 && root) throw new Error("a second root element");
    const el: XmlElement = { name: m[0], attrs: {}, children: [], text: "" };
    i += 1 + m[0].length;
    for (;;) {
      const end = /^\s*(\/?)>/.exec(doc.slice(i));
      if (end) {
        i += end[0].length;
        if (stack.length > 0) stack[stack.length - 1]!.children.push(el);
        else root = el;
        if (end[1] !== "/") stack.push(el);
        break;
      }
      const a = /^\s+([A-Za-z_:][A-Za-z0-9_.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/.exec(doc.slice(i));
      if (!a) throw new Error(`malformed attribute in <${el.name}> at ${JSON.stringify(doc.slice(i, i + 30))}`);
      const [whole, key, , dq, sq] = a;
      const raw = (dq ?? sq)!;
      if (raw.includes("<")) throw new Error(`raw < in attribute ${key}`);
      if (Object.hasOwn(el.attrs, key!)) throw new Error(`duplicate attribute ${key}`);
      // Attribute-value normalisation (XML 1.0 §3.3.3): literal whitespace characters become spaces.
      el.attrs[key!] = decode(raw.replace(/[\t\n\r]/g, " "), `attribute ${key}`);
      i += whole.length;
    }
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (!root) throw new Error("no root element");
  return root;
}

/** Every descendant element with this name, in document order. */
export function findAll(el: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  for (const c of el.children) {
    if (c.name === name) found.push(c);
    found.push(...findAll(c, name));
  }
  return found;
}
