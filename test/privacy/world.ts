// A small world for the privacy tests: people with a life (journal, scores,
// rituals, goals, points), a social graph (friends, follows, a block),
// messages and communities, written through the same functions clients use.
import { createUser, type TestDatabase, type TestUser } from "../helpers/db.js";
import { befriend, connectAs, type VisitorConnection } from "../helpers/peers.js";

export interface World {
  users: Record<"a" | "b" | "c", TestUser>;
  /** A's community, with B in it (B inherits it when A goes). */
  aCommunity: string;
  /** B's community, with A in it. */
  bCommunity: string;
  /** A community only A is in (it goes with A). */
  soloCommunity: string;
  abConversation: string;
  bcConversation: string;
  close(): Promise<void>;
}

/** A life for one user: what a week of using the app leaves behind. */
export async function live(as: VisitorConnection, label: string): Promise<void> {
  const { rows: [area] } = await as.query<{ id: number }>("select id from app_public.life_areas order by id limit 1");
  await as.query("insert into app_public.journal_entries (title, content_md) values ($1, $2)", [`${label} journal`, `Dear diary, ${label} here.`]);
  await as.query("insert into app_public.scores (area_id, score_date, score) values ($1, current_date, 4)", [area!.id]);
  const { rows: [ritual] } = await as.query<{ id: string }>(
    "insert into app_public.rituals (title) values ($1) returning id", [`${label} ritual`],
  );
  await as.query("insert into app_public.ritual_completions (ritual_id) values ($1)", [ritual!.id]);
  await as.query("insert into app_public.goals (title, status) values ($1, 'done')", [`${label} goal`]);
  await as.query("select app_public.create_api_key($1, '{READ}')", [`${label} key`]);
}

export async function makeWorld(db: TestDatabase, prefix: string): Promise<World> {
  const users = { a: await createUser(db, `${prefix}a`), b: await createUser(db, `${prefix}b`), c: await createUser(db, `${prefix}c`) };
  await befriend(db, users.a.id, users.b.id);
  await befriend(db, users.b.id, users.c.id);
  const [asA, asB, asC] = [await connectAs(db, users.a.id), await connectAs(db, users.b.id), await connectAs(db, users.c.id)];
  const connections = [asA, asB, asC];
  const close = async () => {
    for (const connection of connections) await connection.close();
  };
  try {
  for (const [as, label] of [[asA, "a"], [asB, "b"], [asC, "c"]] as const) await live(as, `${prefix}${label}`);
  const send = async (from: VisitorConnection, to: string, body: string) =>
    (await from.query<{ conversation_id: string }>("select conversation_id from app_public.send_message($1, $2)", [to, body])).rows[0]!.conversation_id;
  const abConversation = await send(asA, users.b.id, "hello b, from a");
  await send(asB, users.a.id, "hello a, from b");
  const bcConversation = await send(asB, users.c.id, "hello c, from b");
  await send(asC, users.b.id, "hello b, from c");
  const community = async (as: VisitorConnection, slug: string) =>
    (await as.query<{ id: string }>("select id from app_public.create_community($1, $2)", [`Community ${slug}`, slug])).rows[0]!.id;
  const aCommunity = await community(asA, `${prefix}-a`.replaceAll("_", "-"));
  const bCommunity = await community(asB, `${prefix}-b`.replaceAll("_", "-"));
  const soloCommunity = await community(asA, `${prefix}-solo`.replaceAll("_", "-"));
  await asB.query("select app_public.join_community($1)", [aCommunity]);
  await asC.query("select app_public.join_community($1)", [aCommunity]);
  await asA.query("select app_public.join_community($1)", [bCommunity]);
  await asC.query("select app_public.follow_user($1)", [users.b.id]);
  await asA.query("select app_public.follow_user($1)", [users.b.id]);
  await asC.query("select app_public.block_user($1)", [users.a.id]);
  return { users, aCommunity, bCommunity, soloCommunity, abConversation, bcConversation, close };
  } catch (error) {
    await close();
    throw error;
  }
}
