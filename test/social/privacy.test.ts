// Who sees a profile, over the real gateway: each profile visibility
// (public, friends, private) against each viewer (anonymous, a stranger, a
// friend, the owner, an administrator), through every way of finding a user;
// and the admin and verified flags, which only their owner reads.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { signUp, startTestGateway, type Account, type TestGateway } from "../helpers/gateway.js";
import { befriend, everywhere, gqlOk, rootRows, setPrivacy, sightings } from "../helpers/social.js";

let gw: TestGateway;

interface Person extends Account {
  username: string;
  nodeId: string;
}

async function person(username: string): Promise<Person> {
  const account = await signUp(gw.url, username);
  const me = (await gqlOk(gw.url, "{ currentUser { id } }", {}, account.token)).currentUser;
  return { ...account, username, nodeId: me.id };
}

const owners = {} as Record<"public" | "friends" | "private", Person>;
const viewers = {} as Record<"stranger" | "friend" | "admin", Person>;

beforeAll(async () => {
  gw = await startTestGateway();
  for (const visibility of ["public", "friends", "private"] as const) {
    owners[visibility] = await person(`pv_owner_${visibility}`);
  }
  viewers.stranger = await person("pv_stranger");
  viewers.friend = await person("pv_friend");
  viewers.admin = await person("pv_admin");
  for (const owner of Object.values(owners)) await befriend(gw.url, viewers.friend, owner);
  for (const [visibility, owner] of Object.entries(owners)) {
    await setPrivacy(gw.db, owner.id, { profile_visibility: visibility as "public" });
  }
  await setPrivacy(gw.db, viewers.stranger.id, { profile_visibility: "private" });
  await setPrivacy(gw.db, viewers.friend.id, { profile_visibility: "private" });
  await setPrivacy(gw.db, viewers.admin.id, { profile_visibility: "private" });
  await gw.db.root.query("update app_private.user_flags set is_admin = true, is_verified = true where user_id = $1", [viewers.admin.id]);
});
afterAll(async () => {
  await gw?.close();
});

describe("profile visibility", () => {
  const expected: Record<string, Record<string, boolean>> = {
    public: { anonymous: true, stranger: true, friend: true, self: true, admin: true },
    friends: { anonymous: false, stranger: false, friend: true, self: true, admin: true },
    private: { anonymous: false, stranger: false, friend: false, self: true, admin: true },
  };
  const cases = Object.entries(expected).flatMap(([visibility, byViewer]) =>
    Object.entries(byViewer).map(([viewer, seen]) => [visibility, viewer, seen] as const));

  it.each(cases)("a %s profile, seen by %s: %s", async (visibility, viewer, seen) => {
    const owner = owners[visibility as keyof typeof owners];
    const who = viewer === "anonymous" ? null : viewer === "self" ? owner : viewers[viewer as keyof typeof viewers];
    expect(await sightings(gw.url, who?.token, owner)).toEqual(everywhere(seen));
  });

  it("anonymous `users` lists exactly the public profiles", async () => {
    const listed = (await gqlOk(gw.url, "{ users { nodes { username } } }")).users.nodes.map((u: { username: string }) => u.username).sort();
    const publicOnes = (await rootRows(gw.db,
      "select u.username::text from app_public.users u join app_public.privacy_settings p on p.user_id = u.id where p.profile_visibility = 'public' order by 1"))
      .map((r) => r.username);
    const [{ others }] = await rootRows(gw.db,
      "select count(*)::int as others from app_public.privacy_settings where profile_visibility <> 'public'");
    expect(others).toBeGreaterThan(0);
    expect(listed).toEqual(publicOnes);
    expect(listed).toEqual(["pv_owner_public"]);
  });

  it("a stranger's `users` lists the public profiles and their own", async () => {
    const listed = (await gqlOk(gw.url, "{ users { nodes { username } } }", {}, viewers.stranger.token)).users.nodes
      .map((u: { username: string }) => u.username).sort();
    expect(listed).toEqual(["pv_owner_public", "pv_stranger"]);
  });

  it("changing one's visibility takes effect at once", async () => {
    const owner = owners.friends;
    await gqlOk(gw.url, `mutation ($id: UUID!) { updatePrivacySetting(input: { userId: $id, patch: { profileVisibility: public } }) { privacySetting { profileVisibility } } }`,
      { id: owner.id }, owner.token);
    try {
      expect(await sightings(gw.url, undefined, owner)).toEqual(everywhere(true));
      expect(await sightings(gw.url, viewers.stranger.token, owner)).toEqual(everywhere(true));
    } finally {
      await setPrivacy(gw.db, owner.id, { profile_visibility: "friends" });
    }
    expect(await sightings(gw.url, viewers.stranger.token, owner)).toEqual(everywhere(false));
  });
});

describe("admin and verified flags", () => {
  const FLAGS = "query ($id: UUID!) { user(rowId: $id) { isAdmin isVerified } currentUser { isAdmin isVerified } }";

  it("are set on your own profile", async () => {
    const admin = await gqlOk(gw.url, FLAGS, { id: viewers.admin.id }, viewers.admin.token);
    expect(admin).toEqual({ user: { isAdmin: true, isVerified: true }, currentUser: { isAdmin: true, isVerified: true } });
    const plain = await gqlOk(gw.url, FLAGS, { id: viewers.stranger.id }, viewers.stranger.token);
    expect(plain).toEqual({ user: { isAdmin: false, isVerified: false }, currentUser: { isAdmin: false, isVerified: false } });
  });

  it("are null on anyone else's, whoever asks (a friend, a stranger, anonymous, an administrator)", async () => {
    await setPrivacy(gw.db, viewers.admin.id, { profile_visibility: "public" });
    try {
      for (const viewer of [viewers.stranger, viewers.friend, null]) {
        const data = await gqlOk(gw.url, FLAGS, { id: viewers.admin.id }, viewer?.token);
        expect(data.user).toEqual({ isAdmin: null, isVerified: null });
      }
      const listed = (await gqlOk(gw.url, "{ users { nodes { rowId isAdmin isVerified } } }", {}, viewers.stranger.token)).users.nodes;
      expect(listed.find((u: { rowId: string }) => u.rowId === viewers.admin.id)).toEqual({ rowId: viewers.admin.id, isAdmin: null, isVerified: null });
      // An administrator sees other profiles, not their flags.
      await gw.db.root.query("update app_private.user_flags set is_verified = true where user_id = $1", [owners.public.id]);
      const byAdmin = await gqlOk(gw.url, FLAGS, { id: owners.public.id }, viewers.admin.token);
      expect(byAdmin.user).toEqual({ isAdmin: null, isVerified: null });
      expect((await gqlOk(gw.url, FLAGS, { id: owners.public.id }, owners.public.token)).user).toEqual({ isAdmin: false, isVerified: true });
    } finally {
      await setPrivacy(gw.db, viewers.admin.id, { profile_visibility: "private" });
    }
  });
});
