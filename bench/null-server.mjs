// The client's ceiling for the emulator benchmark: an HTTP server that only parses each
// SendMessageBatch and answers it (correct MD5s, nothing stored). Whatever msgs/s the SDK v3 client
// reaches against it is the most any server can show on this machine with this client.
import { createServer } from "node:http";
import { createHash } from "node:crypto";

const md5s = new Map();
const md5 = (body) => {
  let digest = md5s.get(body);
  if (!digest) md5s.set(body, (digest = createHash("md5").update(body).digest("hex")));
  return digest;
};
const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const input = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    const out = JSON.stringify({
      Successful: (input.Entries ?? []).map((e) => ({ Id: e.Id, MessageId: "00000000-0000-4000-8000-000000000000", MD5OfMessageBody: md5(e.MessageBody) })),
    });
    res.writeHead(200, { "content-type": "application/x-amz-json-1.0", "content-length": Buffer.byteLength(out) });
    res.end(out);
  });
});
server.listen(0, "127.0.0.1", () => console.log(`null server ready http://127.0.0.1:${server.address().port}`));
