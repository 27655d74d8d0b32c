// Deliveries the worker runs together share their SQL: one claim statement and
// one in-app write per batch (src/notifications/batches.ts), while each
// delivery keeps its own outcome.
import { beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import type { WithPgClient } from "graphile-worker";
import { deliveryBatches } from "../../src/notifications/batches.js";
import { createUser, useTestDatabase, type TestUser } from "../helpers/db.js";
import { clearJobs } from "../helpers/jobs.js";

const t = useTestDatabase();
let user: TestUser;

beforeAll(async () => {
  user = await createUser(t.db, "batched");
  await t.db.root.query("update app_public.user_emails set is_verified = true where user_id = $1", [user.id]);
});
beforeEach(async () => {
  await clearJobs(t.db);
  await t.db.root.query("delete from app_public.notification_events");
});

/** A real withPgClient on the test database that counts its round trips. */
function countingClient() {
  const counter = { calls: 0 };
  const withPgClient = (async (callback) => {
    counter.calls++;
    const client = await t.db.root.connect();
    try {
      return await callback(client);
    } finally {
      client.release();
    }
  }) as WithPgClient;
  return { counter, batches: deliveryBatches(withPgClient) };
}

const raise = async (n: number) => {
  for (let i = 0; i < n; i++) {
    await t.db.root.query("select app_private.notify($1, 'reviews.ready', $2)", [
      user.id,
      { kind: "monthly", period_start: `2024-0${1 + i}-01`, username: user.username, gfs: 3, review_id: `r${i}` },
    ]);
  }
  return (await t.db.root.query<{ id: string; channel: string }>(
    "select id, channel::text from app_public.notification_deliveries where user_id = $1 order by created_at, channel",
    [user.id],
  )).rows;
};
const state = async (id: string) =>
  (await t.db.root.query("select status::text, attempts from app_public.notification_deliveries where id = $1", [id])).rows[0];

describe("batched claims", () => {
  it("one statement claims a mixed batch; each delivery gets its own outcome", async () => {
    const rows = await raise(2);
    const [inApp, doneInApp] = rows.filter((d) => d.channel === "in_app");
    const email = rows.find((d) => d.channel === "email");
    await t.db.root.query("update app_public.notification_deliveries set status = 'delivered' where id = $1", [doneInApp!.id]);
    const unknown = "00000000-0000-4000-8000-000000000000";
    const { counter, batches } = countingClient();
    const claims = await Promise.all([inApp!.id, email!.id, doneInApp!.id, unknown].map((id) => batches.claim.load(id)));
    expect(counter.calls).toBe(1);
    expect(claims.map((c) => [c.delivery_id, c.outcome])).toEqual([
      [inApp!.id, "send"], [email!.id, "send"], [doneInApp!.id, "done"], [unknown, "done"],
    ]);
    expect(claims[0]).toMatchObject({ channel: "in_app", attempt: 1, email: null, username: user.username });
    expect(claims[0]!.template_subject).toContain("{{");
    expect(claims[1]).toMatchObject({ channel: "email", attempt: 1, email: user.email });
    // Email is locked and marked for its attempt; in-app waits for its write.
    expect(await state(email!.id)).toEqual({ status: "sending", attempts: 1 });
    expect(await state(inApp!.id)).toEqual({ status: "pending", attempts: 0 });
  });
});

describe("batched in-app writes", () => {
  it("one statement writes the batch; a rerun writes nothing more", async () => {
    const inApp = (await raise(3)).filter((d) => d.channel === "in_app");
    const { counter, batches } = countingClient();
    const write = () =>
      Promise.all(inApp.map((d, i) => batches.deliverInApp.load({ deliveryId: d.id, title: `title ${i}`, body: `body ${i}` })));
    await write();
    expect(counter.calls).toBe(1);
    await write();
    const { rows } = await t.db.root.query(
      `select n.title, d.status::text, d.attempts from app_public.notifications n
       join app_public.notification_deliveries d on d.id = n.delivery_id where n.user_id = $1 order by n.title`,
      [user.id],
    );
    expect(rows).toEqual([0, 1, 2].map((i) => ({ title: `title ${i}`, status: "delivered", attempts: 1 })));
  });

  it("a bad item fails alone: its neighbours are written", async () => {
    const inApp = (await raise(3)).filter((d) => d.channel === "in_app");
    const { counter, batches } = countingClient();
    const results = await Promise.allSettled(
      inApp.map((d, i) => batches.deliverInApp.load({ deliveryId: d.id, title: i === 1 ? (null as unknown as string) : "ok", body: "b" })),
    );
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    // The batch, then each item on its own.
    expect(counter.calls).toBe(4);
    expect(await state(inApp[0]!.id)).toEqual({ status: "delivered", attempts: 1 });
    expect(await state(inApp[1]!.id)).toEqual({ status: "pending", attempts: 0 });
    expect(await state(inApp[2]!.id)).toEqual({ status: "delivered", attempts: 1 });
  });
});
