import { CreateQueueCommand, SendMessageCommand, SendMessageBatchCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { it } from "vitest";
import { createTarget } from "../support/target.js";

it("scratch", async () => {
  const t = await createTarget();
  const { QueueUrl } = await t.client.send(new CreateQueueCommand({ QueueName: t.name() }));
  const show = (e: any) => console.log(JSON.stringify({ name: e.name, message: e.message, fault: e.$fault, meta: e.$metadata, Code: e.Code, Type: e.Type, keys: Object.keys(e) }));
  try { await t.client.send(new SendMessageCommand({ QueueUrl: QueueUrl + "x", MessageBody: "a" })); } catch (e) { show(e); }
  try { await t.client.send(new SendMessageBatchCommand({ QueueUrl, Entries: [] })); } catch (e) { show(e); }
  try { await t.client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 11 })); } catch (e) { show(e); }
  const r = await t.client.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: "a", MessageBody: "x" }] }));
  console.log(JSON.stringify(r));
  try { await t.client.send(new SendMessageCommand({ QueueUrl, MessageBody: "a\u0000" })); } catch (e) { show(e); }
  try { await t.client.send(new SendMessageCommand({ QueueUrl, MessageBody: "a\ud800" })); } catch (e) { show(e); }
  await t.close();
});
