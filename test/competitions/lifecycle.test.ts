// A competition's life: organised through the functions, started and ended
// by the jobs keyed at its times (not a poll), entries closed at the start,
// scores only in an open round, and the finalisation queued at the end.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type pg from "pg";
import { asUser, attempt, createUser, useTestDatabase, type TestUser } from "../helpers/db.js";
import { clearJobs, queuedJobs, runQueuedJobs } from "../helpers/jobs.js";
import { actAs, connect, notificationEvents, rootRows, sessionFor } from "../helpers/social.js";
import { addParticipants, makeAdmin, makeCommunity, makeCompetition } from "./fixtures.js";

const clients: pg.Client[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.end()));
});
const t = useTestDatabase();
let admin: TestUser;
let alice: TestUser;
let bob: TestUser;
let adminClient: pg.Client;
let aliceClient: pg.Client;

beforeAll(async () => {
  admin = await createUser(t.db, "cadmin");
  alice = await createUser(t.db, "calice");
  bob = await createUser(t.db, "cbob");
  await makeAdmin(t.db, admin.id);
  adminClient = await connect(t.db);
  aliceClient = await connect(t.db);
  clients.push(adminClient, aliceClient);
  await actAs(adminClient, t.db, await sessionFor(t.db, admin.id));
  await actAs(aliceClient, t.db, await sessionFor(t.db, alice.id));
});

const advanceJobs = async (id: string) =>
  (await queuedJobs(t.db, "competitions__advance")).filter((j) => j.payload.competition_id === id);
const statusOf = async (id: string) =>
  (await rootRows(t.db, "select status, finalised_at from app_public.competitions where id = $1", [id]))[0];

describe("organising", () => {
  it("global competitions are made by administrators only (DNIED), community ones by its admins (COMRL)", async () => {
    const args = "'Spring cup', now() + interval '1 hour', now() + interval '2 hours'";
    await asUser(t.db, alice.id, async (c) => {
      expect((await attempt(c, `select * from app_public.create_competition(${args})`)).code).toBe("DNIED");
    });
    const community = await makeCommunity(t.db, bob.id, [[alice.id, "moderator"], [admin.id, "admin"]]);
    await asUser(t.db, alice.id, async (c) => {
      expect((await attempt(c, `select * from app_public.create_competition(${args}, $1)`, [community])).code).toBe("COMRL");
    });
    await asUser(t.db, admin.id, async (c) => {
      const made = await attempt(c, `select status, created_by from app_public.create_competition(${args}, $1)`, [community]);
      expect(made).toEqual({ rows: [{ status: "draft", created_by: admin.id }] });
    });
  });

  it("scheduling keys one advance job at the start and one at the end; moving the times re-keys them; cancelling removes them", async () => {
    await clearJobs(t.db);
    const { rows: [made] } = await adminClient.query(
      "select id, starts_at, ends_at from app_public.create_competition('Keyed', now() + interval '1 hour', now() + interval '3 hours')");
    const id = made.id as string;
    // Organisers add rounds through row-level security; a round outside the window is refused.
    const round = (position: number, late = "0") => `insert into app_public.competition_rounds (competition_id, position, title, opens_at, closes_at)
       select id, ${position}, 'Round', starts_at, ends_at + interval '${late} minutes' from app_public.competitions where id = $1 returning id`;
    expect((await adminClient.query(round(1), [id])).rows).toHaveLength(1);
    await expect(adminClient.query(round(2, "1"), [id])).rejects.toMatchObject({ code: "BADIN" });
    // A visitor who does not organise it cannot add one (and does not see the draft).
    await expect(aliceClient.query(
      `insert into app_public.competition_rounds (competition_id, position, title, opens_at, closes_at)
       values ($1, 3, 'Mine', now() + interval '1 hour', now() + interval '2 hours')`, [id])).rejects.toMatchObject({ code: "42501" });
    expect(await advanceJobs(id)).toEqual([]);

    await adminClient.query("select app_public.schedule_competition($1)", [id]);
    let jobs = await advanceJobs(id);
    expect(jobs.map((j) => [j.key, j.run_at.getTime()])).toEqual([
      [`competitions__advance:${id}:start`, made.starts_at.getTime()],
      [`competitions__advance:${id}:end`, made.ends_at.getTime()],
    ]);

    const { rows: [moved] } = await adminClient.query(
      `update app_public.competitions set starts_at = starts_at - interval '30 minutes', ends_at = ends_at + interval '1 hour'
       where id = $1 returning starts_at, ends_at`, [id]);
    jobs = await advanceJobs(id);
    expect(jobs.map((j) => [j.key, j.run_at.getTime()]).sort()).toEqual([
      [`competitions__advance:${id}:end`, moved.ends_at.getTime()],
      [`competitions__advance:${id}:start`, moved.starts_at.getTime()],
    ]);

    await adminClient.query("select app_public.cancel_competition($1)", [id]);
    expect(await advanceJobs(id)).toEqual([]);
    expect((await statusOf(id)).status).toBe("cancelled");
  });
});

describe("the clock, through the keyed jobs", () => {
  let id: string;
  let startsAt: Date;

  beforeAll(async () => {
    await clearJobs(t.db);
    const { rows: [made] } = await adminClient.query(
      "select id, starts_at from app_public.create_competition('Clockwork', now() + interval '1 hour', now() + interval '2 hours', capacity => 10)");
    id = made.id;
    startsAt = made.starts_at;
    await adminClient.query(
      `insert into app_public.competition_rounds (competition_id, position, title, opens_at, closes_at)
       select id, 1, 'All of it', starts_at, ends_at from app_public.competitions where id = $1`, [id]);
    await adminClient.query("select app_public.schedule_competition($1)", [id]);
  });

  it("entries are open while scheduled: join, leave, join again (one activity event)", async () => {
    await aliceClient.query("select app_public.join_competition($1)", [id]);
    expect(await aliceClient.query("select app_public.leave_competition($1) as left", [id])).toMatchObject({ rows: [{ left: true }] });
    await aliceClient.query("select app_public.join_competition($1)", [id]);
    await aliceClient.query("select app_public.join_competition($1)", [id]);
    expect((await statusOf(id)).status).toBe("scheduled");
    expect(await rootRows(t.db, "select participant_count from app_public.competitions where id = $1", [id]))
      .toEqual([{ participant_count: 1 }]);
    expect(await rootRows(t.db,
      "select verb, metadata from app_public.activity_events where actor_id = $1 and object_id = $2", [alice.id, id]))
      .toEqual([{ verb: "competitions.joined", metadata: { competition_title: "Clockwork" } }]);
  });

  it("a job run before its time changes nothing, and the keys stay at the times", async () => {
    await t.db.root.query("select app_private.advance_competition($1)", [id]);
    expect((await statusOf(id)).status).toBe("scheduled");
    expect((await advanceJobs(id)).find((j) => j.key!.endsWith(":start"))!.run_at.getTime()).toBe(startsAt.getTime());
  });

  it("at the start the job makes it active and tells the participants; entries close (CSTRT)", async () => {
    // The start moves into the past (re-keying the start job to it); running
    // the queue runs it. The end job, made due early by the helper, changes nothing.
    await t.db.root.query("update app_public.competitions set starts_at = now() - interval '1 second' where id = $1", [id]);
    await runQueuedJobs(t.db);
    expect((await statusOf(id)).status).toBe("active");
    const started = await notificationEvents(t.db, alice.id, "competitions.started");
    expect(started.map((e) => e.data)).toEqual([{ username: alice.username, competition_title: "Clockwork", competition_id: id }]);
    // The end job is keyed at the end again (the early run re-keyed it); the start job is gone.
    const jobs = await advanceJobs(id);
    const { ends_at: endsAt } = (await rootRows(t.db, "select ends_at from app_public.competitions where id = $1", [id]))[0];
    expect(jobs.map((j) => [j.key, j.run_at.getTime()])).toEqual([[`competitions__advance:${id}:end`, endsAt.getTime()]]);

    const bobClient = await connect(t.db);
    clients.push(bobClient);
    await actAs(bobClient, t.db, await sessionFor(t.db, bob.id));
    await expect(bobClient.query("select app_public.join_competition($1)", [id])).rejects.toMatchObject({ code: "CSTRT" });
    await expect(aliceClient.query("select app_public.leave_competition($1)", [id])).rejects.toMatchObject({ code: "CSTRT" });
    // Its times are fixed now.
    await expect(t.db.root.query("update app_public.competitions set capacity = 20 where id = $1", [id]))
      .rejects.toMatchObject({ code: "CSTRT" });
  });

  it("at the end the job finishes it and queues the finalisation, which runs", async () => {
    // Time passes: the end is now (as superuser, past the trigger that fixes the times).
    await t.db.root.query("alter table app_public.competitions disable trigger _200_validate");
    await t.db.root.query("alter table app_public.competition_rounds disable trigger _200_validate");
    await t.db.root.query(
      `update app_public.competitions set ends_at = now() - interval '1 second', starts_at = now() - interval '1 hour' where id = $1`, [id]);
    await t.db.root.query(
      `update app_public.competition_rounds set opens_at = now() - interval '1 hour', closes_at = now() - interval '1 second'
       where competition_id = $1`, [id]);
    await t.db.root.query("alter table app_public.competitions enable trigger _200_validate");
    await t.db.root.query("alter table app_public.competition_rounds enable trigger _200_validate");
    const jobs = await advanceJobs(id);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.run_at.getTime()).toBeLessThanOrEqual(Date.now());
    await runQueuedJobs(t.db);
    const after = await statusOf(id);
    expect(after.status).toBe("finished");
    expect(after.finalised_at).not.toBeNull();
    // Nothing failed (a completed job's row may still be on its way out: the worker batches completions).
    expect(await rootRows(t.db, "select key from graphile_worker._private_jobs where last_error is not null or locked_at is null")).toEqual([]);
  });
});

describe("scores", () => {
  let id: string;
  let open: string;
  let later: string;
  let streak: string;

  beforeAll(async () => {
    const made = await makeCompetition(t.db, {
      rounds: [{ scoring: "sum" }, { scoring: "max", opensIn: 600 }, { scoring: "streak" }],
    });
    id = made.id;
    [open, later, streak] = made.rounds as [string, string, string];
    await addParticipants(t.db, id, [alice.id]);
  });

  const scoreCount = async () => (await rootRows(t.db,
    "select count(*)::int as n from app_public.competition_scores where competition_id = $1", [id]))[0].n;

  it("a participant scores in an open round", async () => {
    await aliceClient.query("select app_public.submit_score($1, 12.5)", [open]);
    expect(await scoreCount()).toBe(1);
  });

  it("a participant's 1,001st score in a round is RNDLM, and nothing is written", async () => {
    const before = await scoreCount();
    await t.db.root.query(
      "insert into app_public.competition_scores (round_id, competition_id, user_id, value) select $1, $2, $3, 1 from generate_series(1, 1000 - $4::int)",
      [open, id, alice.id, before]);
    await expect(aliceClient.query("select app_public.submit_score($1, 1)", [open])).rejects.toMatchObject({ code: "RNDLM" });
    expect(await scoreCount()).toBe(1000);
    await t.db.root.query("delete from app_public.competition_scores where competition_id = $1 and value = 1", [id]);
    expect(await scoreCount()).toBe(before);
  });

  it("outside the open round: RNDCL, and nothing is written", async () => {
    await expect(aliceClient.query("select app_public.submit_score($1, 7)", [later])).rejects.toMatchObject({ code: "RNDCL" });
    await t.db.root.query("update app_public.competitions set status = 'finished' where id = $1", [id]);
    await expect(aliceClient.query("select app_public.submit_score($1, 7)", [open])).rejects.toMatchObject({ code: "RNDCL" });
    await t.db.root.query("update app_public.competitions set status = 'active' where id = $1", [id]);
    expect(await scoreCount()).toBe(1);
  });

  it("a streak round is scored by the database (RNDCM); non-participants are refused (DNIED); nobody writes scores directly", async () => {
    await expect(aliceClient.query("select app_public.submit_score($1, 99)", [streak])).rejects.toMatchObject({ code: "RNDCM" });
    await asUser(t.db, bob.id, async (c) => {
      expect((await attempt(c, "select app_public.submit_score($1, 1)", [open])).code).toBe("DNIED");
    });
    await asUser(t.db, alice.id, async (c) => {
      expect((await attempt(c,
        "insert into app_public.competition_scores (round_id, competition_id, user_id, value) values ($1, $2, $3, 5)",
        [open, id, alice.id])).code).toBe("42501");
      expect((await attempt(c,
        "insert into app_public.competition_participants (competition_id, user_id) values ($1, $2)", [id, bob.id])).code).toBe("42501");
      expect((await attempt(c, "update app_public.competitions set participant_count = 0 where id = $1", [id])).code).toBe("42501");
    });
    expect(await scoreCount()).toBe(1);
  });
});
