// Arranging competitions for the tests: rows made as superuser (the thing
// tested is what the visitor's functions and the jobs do with them).
import type { TestDatabase } from "../helpers/db.js";

export type Scoring = "sum" | "max" | "average" | "count" | "streak";

export interface RoundSpec {
  scoring?: Scoring;
  weight?: number;
  /** Offsets from now (the competition's making), in seconds; default: the competition's window. */
  opensIn?: number;
  closesIn?: number;
}

export interface CompetitionSpec {
  status?: "draft" | "scheduled" | "active" | "finished" | "cancelled";
  communityId?: string | null;
  capacity?: number | null;
  /** Offsets from now, in seconds. */
  startsIn?: number;
  endsIn?: number;
  rounds?: RoundSpec[];
  title?: string;
}

export interface Made {
  id: string;
  rounds: string[];
}

export async function makeAdmin(db: TestDatabase, userId: string): Promise<void> {
  await db.root.query("update app_private.user_flags set is_admin = true where user_id = $1", [userId]);
}

/** A competition and its rounds, straight into the tables. */
export async function makeCompetition(db: TestDatabase, spec: CompetitionSpec = {}): Promise<Made> {
  const startsIn = spec.startsIn ?? -3600;
  const endsIn = spec.endsIn ?? 3600;
  const { rows } = await db.root.query<{ id: string }>(
    `insert into app_public.competitions (community_id, title, capacity, starts_at, ends_at, status)
     values ($1, $2, $3, now() + make_interval(secs => $4), now() + make_interval(secs => $5), $6) returning id`,
    [spec.communityId ?? null, spec.title ?? "Test competition", spec.capacity ?? null, startsIn, endsIn, spec.status ?? "active"],
  );
  const id = rows[0]!.id;
  const rounds: string[] = [];
  for (const [i, r] of (spec.rounds ?? [{}]).entries()) {
    const { rows: made } = await db.root.query<{ id: string }>(
      `insert into app_public.competition_rounds (competition_id, position, title, scoring, weight, opens_at, closes_at)
       select $1, $2, $3, $4, $5, c.starts_at + make_interval(secs => $6), c.starts_at + make_interval(secs => $7)
       from app_public.competitions c where c.id = $1 returning id`,
      [id, i + 1, `Round ${i + 1}`, r.scoring ?? "sum", r.weight ?? 1, (r.opensIn ?? startsIn) - startsIn, (r.closesIn ?? endsIn) - startsIn],
    );
    rounds.push(made[0]!.id);
  }
  return { id, rounds };
}

/** Participants added straight in the table (the count follows by trigger). */
export async function addParticipants(db: TestDatabase, competitionId: string, userIds: string[]): Promise<void> {
  await db.root.query(
    "insert into app_public.competition_participants (competition_id, user_id) select $1, unnest($2::uuid[])",
    [competitionId, userIds],
  );
}

/** Scores straight in the table: [round, user, value]. */
export async function addScores(db: TestDatabase, competitionId: string, scores: Array<[string, string, number]>): Promise<void> {
  if (!scores.length) return;
  await db.root.query(
    `insert into app_public.competition_scores (round_id, competition_id, user_id, value)
     select r, $1, u, v from unnest($2::uuid[], $3::uuid[], $4::numeric[]) as s(r, u, v)`,
    [competitionId, scores.map((s) => s[0]), scores.map((s) => s[1]), scores.map((s) => s[2])],
  );
}

/** A community (as superuser) with a founder and members of the given roles. */
export async function makeCommunity(
  db: TestDatabase, founderId: string, members: Array<[string, "member" | "moderator" | "admin"]> = [],
  visibility: "public" | "private" = "private",
): Promise<string> {
  const slug = `c${Math.random().toString(36).slice(2, 10)}`;
  const { rows } = await db.root.query<{ id: string }>(
    `insert into app_public.communities (name, slug, visibility, join_policy, founder_id)
     values ($1, $2, $3, $4, $5) returning id`,
    [`Community ${slug}`, slug, visibility, visibility === "private" ? "invite" : "open", founderId],
  );
  const id = rows[0]!.id;
  await db.root.query(
    "insert into app_public.community_members (community_id, user_id, role) values ($1, $2, 'founder')", [id, founderId],
  );
  for (const [userId, role] of members) {
    await db.root.query("insert into app_public.community_members (community_id, user_id, role) values ($1, $2, $3)", [id, userId, role]);
  }
  return id;
}
