/**
 * Raw wire access for conformance tests that must see what SDKs hide: HTTP statuses, headers, the
 * query protocol's XML, and requests no SDK would send.
 */

export interface JsonAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body, or undefined when it is not JSON. */
  json: Record<string, unknown> | undefined;
}

export interface XmlAnswer {
  status: number;
  headers: Headers;
  text: string;
  xml: XmlNode;
}

/** AWS JSON 1.0 as SDK v3 sends it, minus `x-amzn-query-mode` unless `headers` adds it. */
export async function postJson(
  endpoint: string,
  action: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<JsonAnswer> {
  const res = await fetch(`${endpoint}/`, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.0",
      "x-amz-target": `AmazonSQS.${action}`,
      ...headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return jsonAnswer(res);
}

export async function jsonAnswer(res: Response): Promise<JsonAnswer> {
  const text = await res.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** A query-protocol POST (`Action=…&Version=2012-11-05`), form-encoded, to `path` (default `/`). */
export async function postQuery(endpoint: string, params: Record<string, string>, path = "/"): Promise<XmlAnswer> {
  const res = await fetch(`${endpoint}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ Version: "2012-11-05", ...params }).toString(),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, xml: parseXml(text) };
}

// ---- a small XML reader: enough to walk SQS answers, strict enough to notice broken XML -----------

export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decodeText(raw: string): string {
  return raw.replace(/&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|(amp|lt|gt|quot|apos));/g, (_m, hex?: string, dec?: string, name?: string) =>
    name ? ENTITIES[name]! : String.fromCodePoint(hex ? parseInt(hex, 16) : Number(dec)),
  );
}

export function parseXml(source: string): XmlNode {
  const xml = source.replace(/^<\?xml[^?]*\?>/, "").trim();
  const tag = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+="[^"]*")*)\s*(\/?)>/g;
  const stack: XmlNode[] = [];
  let root: XmlNode | undefined;
  let last = 0;
  for (let m = tag.exec(xml); m; m = tag.exec(xml)) {
    const between = xml.slice(last, m.index);
    if (stack.length > 0) stack[stack.length - 1]!.text += decodeText(between);
    else if (between.trim() !== "") throw new Error(`text outside the root element: ${between.slice(0, 40)}`);
    last = tag.lastIndex;
    const [, closing, name, rawAttrs, selfClosing] = m;
    if (closing) {
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`mismatched </${name}>`);
      continue;
    }
    const attrs = Object.fromEntries([...rawAttrs!.matchAll(/([\w.:-]+)="([^"]*)"/g)].map((a) => [a[1]!, decodeText(a[2]!)]));
    const node: XmlNode = { name: name!, attrs, children: [], text: "" };
    if (stack.length > 0) stack[stack.length - 1]!.children.push(node);
    else if (root) throw new Error("two root elements");
    else root = node;
    if (!selfClosing) stack.push(node);
  }
  if (!root || stack.length > 0 || xml.slice(last).trim() !== "") throw new Error(`not well-formed XML: ${source.slice(0, 200)}`);
  return root;
}

/** The children named `name`. */
export function all(node: XmlNode, name: string): XmlNode[] {
  return node.children.filter((c) => c.name === name);
}

/** The one descendant at `path`; throws when there is not exactly one at each step. */
export function one(node: XmlNode, ...path: string[]): XmlNode {
  let current = node;
  for (const name of path) {
    const found = all(current, name);
    if (found.length !== 1) throw new Error(`expected one <${name}> in <${current.name}>, found ${found.length}`);
    current = found[0]!;
  }
  return current;
}

/** The text at `path`, or undefined when some step is missing. */
export function textAt(node: XmlNode, ...path: string[]): string | undefined {
  let current: XmlNode | undefined = node;
  for (const name of path) current = current && all(current, name)[0];
  return current?.text;
}

/** Flattened `<Attribute><Name/><Value/></Attribute>` entries as a record. */
export function entries(node: XmlNode, element: string, key = "Name", value = "Value"): Record<string, string> {
  return Object.fromEntries(all(node, element).map((e) => [one(e, key).text, one(e, value).text]));
}
