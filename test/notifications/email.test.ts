// Email deliveries end to end: app_private.notify → the deliver job →
// nodemailer → a real SMTP server (smtp-server) started here.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import { createUser, useTestDatabase, type TestUser } from "../helpers/db.js";
import { testConfig } from "../helpers/env.js";
import { runQueuedJobs } from "../helpers/jobs.js";

interface Mail {
  rcptTo: string[];
  headers: Record<string, string>;
  text: string;
}

/** Headers (unfolded, lower-cased names) and the quoted-printable text body of a single-part message. */
function parseMessage(raw: string): Omit<Mail, "rcptTo"> {
  const split = raw.indexOf("\r\n\r\n");
  const headers: Record<string, string> = {};
  for (const line of raw.slice(0, split).replace(/\r\n[ \t]+/g, " ").split("\r\n")) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = raw.slice(split + 4);
  if (/quoted-printable/i.test(headers["content-transfer-encoding"] ?? "")) {
    const bytes: number[] = [];
    const soft = body.replace(/=\r\n/g, "");
    for (let i = 0; i < soft.length; i++) {
      if (soft[i] === "=" && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
        bytes.push(Number.parseInt(soft.slice(i + 1, i + 3), 16));
        i += 2;
      } else bytes.push(soft.charCodeAt(i));
    }
    body = Buffer.from(bytes).toString("utf8");
  }
  return { headers, text: body.replace(/\r\n$/, "") };
}

/** A real SMTP server on a free port (or a given one); messages land in `mails`. */
async function startSmtp(options: Partial<SMTPServerOptions> = {}, port = 0) {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        mails.push({ rcptTo: session.envelope.rcptTo.map((a) => a.address), ...parseMessage(Buffer.concat(chunks).toString("utf8")) });
        callback();
      });
    },
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  return { server, mails, url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

let smtp: Awaited<ReturnType<typeof startSmtp>>;

beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(async () => {
  await smtp.close();
});
// After the SMTP server's hooks: its URL is known by the time the database is made.
const t = useTestDatabase(() => ({ SMTP_URL: smtp.url, EMAIL_FROM: "lifegraph <notify@lifegraph.test>" }));

async function verifiedUser(): Promise<TestUser> {
  const user = await createUser(t.db, "mail");
  await t.db.root.query("update app_public.user_emails set is_verified = true where user_id = $1", [user.id]);
  return user;
}

async function notifyReview(user: TestUser, periodStart = "2024-01-01"): Promise<string> {
  const data = { username: user.username, kind: "monthly", period_start: periodStart, gfs: 7.5, review_id: "r1" };
  const { rows: event } = await t.db.root.query("select app_private.notify($1, 'reviews.ready', $2) as id", [user.id, data]);
  const { rows } = await t.db.root.query(
    "select id from app_public.notification_deliveries where event_id = $1 and channel = 'email'", [event[0].id],
  );
  expect(rows).toHaveLength(1);
  return rows[0].id;
}

const delivery = async (id: string) =>
  (await t.db.root.query("select *, run_at > now() as due_later from app_public.notification_deliveries where id = $1", [id])).rows[0];
const attempts = async (id: string) =>
  (await t.db.root.query("select * from app_public.delivery_attempts where delivery_id = $1 order by id", [id])).rows;
// Users also get their account mail (verify_email) here: look messages up by delivery.
const mailsOf = (mails: Mail[], deliveryId: string) => mails.filter((m) => m.headers["x-lifegraph-delivery"] === deliveryId);

describe("email deliveries", () => {
  it("send the rendered template to the verified address, keyed by the delivery id", async () => {
    const user = await verifiedUser();
    const deliveryId = await notifyReview(user);
    await runQueuedJobs(t.db);

    const [mail, ...others] = mailsOf(smtp.mails, deliveryId);
    expect(others).toHaveLength(0);
    expect(mail!.rcptTo).toEqual([user.email]);
    expect(mail!.headers).toMatchObject({
      from: "lifegraph <notify@lifegraph.test>",
      to: user.email,
      subject: "Your monthly review is ready",
      "message-id": `<${deliveryId}@lifegraph>`,
      "x-lifegraph-delivery": deliveryId,
    });
    expect(mail!.headers["content-type"]).toMatch(/^text\/plain/);
    expect(mail!.text).toBe(`Hello ${user.username}, your monthly review from 2024-01-01 is ready.`);

    expect(await delivery(deliveryId)).toMatchObject({
      status: "sent", attempts: 1, last_error: null, provider_message_id: `<${deliveryId}@lifegraph>`,
    });
    const [attempt, ...more] = await attempts(deliveryId);
    expect(more).toHaveLength(0);
    expect(attempt).toMatchObject({ succeeded: true, attempt: 1 });
    expect(attempt.provider_response.response).toMatch(/^250/);
  });

  it("long lines and non-ASCII text arrive intact (quoted-printable, not base64)", async () => {
    const user = await verifiedUser();
    const period = `2024-01-01 — ${"x".repeat(150)} ✓ Überblick`;
    const deliveryId = await notifyReview(user, period);
    await runQueuedJobs(t.db);
    const [mail] = mailsOf(smtp.mails, deliveryId);
    expect(mail!.headers["content-transfer-encoding"]).toBe("quoted-printable");
    expect(mail!.text).toBe(`Hello ${user.username}, your monthly review from ${period} is ready.`);
  });

  it("skip a user without a verified address", async () => {
    const user = await createUser(t.db, "unverified");
    const deliveryId = await notifyReview(user);
    await runQueuedJobs(t.db);
    expect(await delivery(deliveryId)).toMatchObject({ status: "skipped", attempts: 1, last_error: "no verified email address" });
    expect(mailsOf(smtp.mails, deliveryId)).toHaveLength(0);
  });

  it("a permanent rejection (550) is dead after one attempt", async () => {
    const rejecting = await startSmtp({
      onRcptTo(_address, _session, callback) {
        callback(Object.assign(new Error("No such mailbox here"), { responseCode: 550 }));
      },
    });
    try {
      const user = await verifiedUser();
      const deliveryId = await notifyReview(user);
      await runQueuedJobs(t.db, testConfig({ SMTP_URL: rejecting.url }));
      const row = await delivery(deliveryId);
      expect(row).toMatchObject({ status: "dead", attempts: 1 });
      expect(row.last_error).toMatch(/550.*No such mailbox/);
      expect((await attempts(deliveryId))[0]).toMatchObject({ succeeded: false, provider_response: { responseCode: 550 } });
      expect(mailsOf(rejecting.mails, deliveryId)).toHaveLength(0);
    } finally {
      await rejecting.close();
    }
  });

  it("a server that is down is retried later, and the retry goes through", async () => {
    // A port that was free a moment ago: nothing listens there now.
    const probe = await startSmtp();
    const port = Number(new URL(probe.url).port);
    await probe.close();
    const config = testConfig({ SMTP_URL: probe.url });

    const user = await verifiedUser();
    const deliveryId = await notifyReview(user);
    await runQueuedJobs(t.db, config);
    const row = await delivery(deliveryId);
    expect(row).toMatchObject({ status: "pending", attempts: 1, due_later: true });
    expect(row.last_error).toMatch(/ECONNREFUSED|connect/i);

    const late = await startSmtp({}, port);
    try {
      await runQueuedJobs(t.db, config); // makes the retry due now
      expect(await delivery(deliveryId)).toMatchObject({ status: "sent", attempts: 2, last_error: null });
      expect(mailsOf(late.mails, deliveryId)).toHaveLength(1);
      expect((await attempts(deliveryId)).map((a) => a.succeeded)).toEqual([false, true]);
    } finally {
      await late.close();
    }
  });
});

describe("account mail through SMTP", () => {
  /** The token of the link in the one mail of a delivery of this type to this user. */
  async function linkToken(user: TestUser, type: string, path: string): Promise<string> {
    const { rows } = await t.db.root.query(
      `select d.id from app_public.notification_deliveries d join app_public.notification_events e on e.id = d.event_id
       where d.user_id = $1 and e.type = $2 and d.channel = 'email' order by d.created_at desc limit 1`,
      [user.id, type],
    );
    const [mail] = mailsOf(smtp.mails, rows[0].id);
    expect(mail!.rcptTo).toEqual([user.email]);
    const match = new RegExp(`/${path}\\?token=([0-9a-f]{64})`).exec(mail!.text);
    expect(match).not.toBeNull();
    return match![1]!;
  }
  const tokensInEvents = async (userId: string) =>
    (await t.db.root.query("select count(*)::int as n from app_public.notification_events where user_id = $1 and data ? 'token'", [userId])).rows[0].n;

  it("registration mails a verification link; the mailed token verifies, and leaves the event once sent", async () => {
    const user = await createUser(t.db, "verify");
    expect(await tokensInEvents(user.id)).toBe(1);
    await runQueuedJobs(t.db);
    const token = await linkToken(user, "account.verify_email", "verify-email");
    expect(await tokensInEvents(user.id)).toBe(0);
    await t.db.root.query("select app_public.verify_email($1)", [token]);
    const { rows } = await t.db.root.query("select is_verified from app_public.user_emails where user_id = $1", [user.id]);
    expect(rows).toEqual([{ is_verified: true }]);
  });

  it("a reset link goes to a proven address only, never to an unverified extra one", async () => {
    const user = await verifiedUser();
    const { rows: [extra] } = await t.db.root.query(
      "insert into app_public.user_emails (user_id, email) values ($1, $2) returning id", [user.id, `typo-${user.username}@example.com`],
    );
    await runQueuedJobs(t.db);
    const resets = async () =>
      (await t.db.root.query("select count(*)::int as n from app_public.notification_events where user_id = $1 and type = 'account.password_reset'", [user.id])).rows[0].n;
    await t.db.root.query("select app_public.forgot_password($1)", [`typo-${user.username}@example.com`]);
    expect(await resets()).toBe(0);
    await t.db.root.query("select app_public.forgot_password($1)", [user.email]);
    expect(await resets()).toBe(1);
    await runQueuedJobs(t.db);
    const token = await linkToken(user, "account.password_reset", "reset-password");
    expect(await tokensInEvents(user.id)).toBe(0);
    await t.db.root.query("select app_public.reset_password($1, 'Mailed-Link-Horse-3')", [token]);
    const { rows } = await t.db.root.query("select is_verified from app_public.user_emails where id = $1", [extra.id]);
    expect(rows).toEqual([{ is_verified: false }]);
  });

  it("a new account with no proven address may still reset through its primary address", async () => {
    const user = await createUser(t.db, "fresh");
    await t.db.root.query("update app_public.user_emails set is_primary = true where user_id = $1", [user.id]);
    await t.db.root.query("select app_public.forgot_password($1)", [user.email]);
    await runQueuedJobs(t.db);
    expect(await linkToken(user, "account.password_reset", "reset-password")).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("digests through SMTP", () => {
  const statuses = async (ids: string[]) =>
    (await t.db.root.query("select status::text from app_public.notification_deliveries where id = any($1) order by id", [ids])).rows.map((r) => r.status);

  it("held mail becomes one message listing its items; the items are sent with it", async () => {
    const user = await verifiedUser();
    await t.db.root.query("update app_public.notification_settings set digest_frequency = 'hourly' where user_id = $1", [user.id]);
    const items = [await notifyReview(user, "2024-01-01"), await notifyReview(user, "2024-02-01")];
    expect(await statuses(items)).toEqual(["held", "held"]);
    await t.db.root.query("update app_public.notification_deliveries set run_at = now() where id = any($1)", [items]);
    await runQueuedJobs(t.db);
    const { rows: [digest] } = await t.db.root.query(
      `select d.id from app_public.notification_deliveries d join app_public.notification_events e on e.id = d.event_id
       where d.user_id = $1 and e.type = 'notifications.digest'`, [user.id],
    );
    const [mail, ...more] = mailsOf(smtp.mails, digest.id);
    expect(more).toHaveLength(0);
    expect(mail!.headers.subject).toBe("2 new notifications");
    expect(mail!.text.match(/^- /gm)).toHaveLength(2);
    expect(await statuses(items)).toEqual(["sent", "sent"]);
    // The items themselves were never mailed on their own.
    expect(items.flatMap((id) => mailsOf(smtp.mails, id))).toEqual([]);
  });

  it("a dead digest keeps its items held for the admin; discarding it gives them up too", async () => {
    const user = await verifiedUser();
    await t.db.root.query("update app_public.notification_settings set digest_frequency = 'hourly' where user_id = $1", [user.id]);
    const items = [await notifyReview(user, "2024-03-01")];
    await t.db.root.query("update app_public.notification_deliveries set run_at = now() where id = any($1)", [items]);
    const { rows: [collected] } = await t.db.root.query("select app_private.collect_digest($1, 'email') as n", [user.id]);
    expect(collected.n).toBe(1);
    const { rows: [digest] } = await t.db.root.query(
      `select d.id from app_public.notification_deliveries d join app_public.notification_events e on e.id = d.event_id
       where d.user_id = $1 and e.type = 'notifications.digest'`, [user.id],
    );
    await t.db.root.query("select outcome from app_private.claim_deliveries(array[$1::uuid])", [digest.id]);
    await t.db.root.query("select app_private.complete_delivery($1, false, null, 'mailbox full', null, 'dead')", [digest.id]);
    expect(await statuses(items)).toEqual(["held"]);
    // Not folded into a later digest: it waits on its own.
    expect((await t.db.root.query("select app_private.collect_digest($1, 'email') as n", [user.id])).rows[0].n).toBe(0);
    const admin = await createUser(t.db, "mail_admin");
    await t.db.root.query("update app_private.user_flags set is_admin = true where user_id = $1", [admin.id]);
    const client = await t.db.root.connect();
    try {
      await client.query("begin");
      const { rows: [session] } = await client.query(
        "insert into app_private.sessions (user_id, expires_at) values ($1, now() + interval '1 hour') returning id", [admin.id],
      );
      await client.query("select set_config('jwt.claims.session_id', $1, true)", [session.id]);
      await client.query(`set local role ${t.db.config.DATABASE_VISITOR}`);
      await client.query("select app_public.discard_delivery($1)", [digest.id]);
      await client.query("commit");
    } finally {
      client.release();
    }
    expect(await statuses(items)).toEqual(["discarded"]);
  });
});
