/**
 * STS session bookkeeping. STS API Reference, "Common Errors": ExpiredToken (403) "The security token
 * included in the request is expired" — an expired session must keep answering that even after the
 * emulator has forgotten it, while its memory is released.
 */
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/clock/index.js";
import { createSecurityTokenService } from "../../src/emulator/index.js";
import { SqsError } from "../../src/sqs/index.js";

const ACCOUNT = "000000000000";
const ROLE = `arn:aws:iam::${ACCOUNT}:role/delivery`;
const root = { arn: `arn:aws:iam::${ACCOUNT}:root` };

function assume(sts: ReturnType<typeof createSecurityTokenService>, session: string) {
  const params = new URLSearchParams({ RoleArn: ROLE, RoleSessionName: session, DurationSeconds: "900" });
  const reply = sts.handle("AssumeRole", params, root, {}, "req")!;
  expect(reply.status).toBe(200);
  const pick = (tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(reply.body)![1]!;
  return { accessKeyId: pick("AccessKeyId"), sessionToken: pick("SessionToken") };
}

describe("STS sessions", () => {
  it("prunes expired sessions when the next one is issued; their keys still answer ExpiredToken", async () => {
    const clock = new VirtualClock({ start: 0 });
    const sts = createSecurityTokenService({ clock, accountId: ACCOUNT, roles: [{ arn: ROLE }] });
    const sessions = (sts as unknown as { sessions: Map<string, unknown> }).sessions; // white-box: the memory being pruned
    const old = [assume(sts, "one"), assume(sts, "two")];
    expect(sessions.size).toBe(2);
    await clock.advance(900_000);
    const fresh = assume(sts, "three");
    expect([...sessions.keys()]).toEqual([fresh.accessKeyId]);
    for (const creds of old) {
      const answer = sts.resolvePrincipal(creds);
      expect(answer).toBeInstanceOf(SqsError);
      expect((answer as SqsError).code).toBe("ExpiredToken");
    }
    expect(sts.resolvePrincipal(fresh)).toMatchObject({ roleArn: ROLE, accessKeyId: fresh.accessKeyId });
    // A token that is not the key's own proves nothing: the key is then treated like any unknown key.
    const mixed = sts.resolvePrincipal({ accessKeyId: old[0]!.accessKeyId, sessionToken: old[1]!.sessionToken });
    expect(mixed).toEqual({ arn: root.arn, accessKeyId: old[0]!.accessKeyId });
  });
});
