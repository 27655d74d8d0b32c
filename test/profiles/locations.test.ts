// Locations over GraphQL: a country (ISO 3166-1 alpha-2) and an optional
// region code, nothing finer; others see it (User.location) only when the
// owner made it visible, shows locations, and they may see the profile.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { errorCodes, graphql, refusal, signUp, startTestGateway, writesNothing, type Account, type TestGateway } from "../helpers/gateway.js";
import { befriend } from "../helpers/peers.js";
import { setPrivacy } from "../helpers/social.js";

let gw: TestGateway;
let lea: Account;
let max: Account; // lea's friend
let ned: Account; // a stranger

beforeAll(async () => {
  gw = await startTestGateway();
  [lea, max, ned] = [await signUp(gw.url, "loc_lea"), await signUp(gw.url, "loc_max"), await signUp(gw.url, "loc_ned")];
  await befriend(gw.db, lea.id, max.id);
});
afterAll(async () => {
  await gw.close();
});

const CREATE = `mutation ($l: UserLocationInput!) { createUserLocation(input: { userLocation: $l }) { userLocation { userId countryCode regionCode isVisible } } }`;
const UPDATE = `mutation ($id: UUID!, $p: UserLocationPatch!) { updateUserLocation(input: { userId: $id, patch: $p }) { userLocation { countryCode regionCode isVisible } } }`;
const stored = async (userId: string) =>
  (await gw.db.root.query("select country_code, region_code, is_visible from app_public.user_locations where user_id = $1", [userId])).rows;

/** `of`'s location as `as` sees it on the profile: undefined when the profile itself is invisible to them. */
const location = async (as: Account | null, of: Account) => {
  const response = await graphql(gw.url, `query ($id: UUID!) { user(rowId: $id) { location { countryCode regionCode } } }`, { id: of.id }, as?.token);
  expect(response.errors).toBeUndefined();
  return response.data.user === null ? undefined : response.data.user.location;
};

describe("saving a location", () => {
  it("refuses anything but two capital letters for the country and one to three capitals or digits for the region (BADIN)", async () => {
    for (const [input, constraint] of [
      [{ countryCode: "fr" }, "location_country_format"],
      [{ countryCode: "FRA" }, "location_country_format"],
      [{ countryCode: "F1" }, "location_country_format"],
      [{ countryCode: "" }, "location_country_format"],
      [{ countryCode: "FR", regionCode: "idf" }, "location_region_format"],
      [{ countryCode: "FR", regionCode: "IDFX" }, "location_region_format"],
      [{ countryCode: "FR", regionCode: "" }, "location_region_format"],
      [{ countryCode: "FR", regionCode: "I-F" }, "location_region_format"],
    ] as const) {
      const response = await writesNothing(gw.db, "user_locations", () => graphql(gw.url, CREATE, { l: input }, lea.token));
      expect({ input, refusal: refusal(response) }).toEqual({ input, refusal: [{ code: "BADIN", constraint }] });
    }
  });

  it("saves a well-formed one as the user's own, hidden by default; one per user; changes keep to the same rules", async () => {
    const created = await graphql(gw.url, CREATE, { l: { countryCode: "FR", regionCode: "IDF" } }, lea.token);
    expect(created.errors).toBeUndefined();
    expect(created.data.createUserLocation.userLocation).toEqual({ userId: lea.id, countryCode: "FR", regionCode: "IDF", isVisible: false });
    expect(errorCodes(await graphql(gw.url, CREATE, { l: { countryCode: "DE" } }, lea.token))).toEqual(["NUNIQ"]);

    expect(refusal(await graphql(gw.url, UPDATE, { id: lea.id, p: { regionCode: "ILE-DE" } }, lea.token)))
      .toEqual([{ code: "BADIN", constraint: "location_region_format" }]);
    expect(await stored(lea.id)).toEqual([{ country_code: "FR", region_code: "IDF", is_visible: false }]);
    const moved = await graphql(gw.url, UPDATE, { id: lea.id, p: { countryCode: "BE", regionCode: "BRU" } }, lea.token);
    expect(moved.data.updateUserLocation.userLocation).toEqual({ countryCode: "BE", regionCode: "BRU", isVisible: false });
  });

  it("nobody else changes or deletes it", async () => {
    const updated = await graphql(gw.url, UPDATE, { id: lea.id, p: { countryCode: "US" } }, ned.token);
    expect(updated.errors).toBeUndefined();
    expect(updated.data.updateUserLocation).toEqual({ userLocation: null });
    const deleted = await graphql(gw.url, `mutation ($id: UUID!) { deleteUserLocation(input: { userId: $id }) { userLocation { userId } } }`, { id: lea.id }, ned.token);
    expect(errorCodes(deleted)).toEqual(["NOFND"]);
    expect(await stored(lea.id)).toEqual([{ country_code: "BE", region_code: "BRU", is_visible: false }]);
  });
});

describe("who sees it", () => {
  const BE = { countryCode: "BE", regionCode: "BRU" };
  const set = async (isVisible: boolean, privacy: Parameters<typeof setPrivacy>[2]) => {
    await gw.db.root.query("update app_public.user_locations set is_visible = $2 where user_id = $1", [lea.id, isVisible]);
    await setPrivacy(gw.db, lea.id, privacy);
  };

  it("the owner, always", async () => {
    await set(false, { profile_visibility: "private", show_location: false });
    expect(await location(lea, lea)).toEqual(BE);
  });

  it("nobody else unless both is_visible and show_location are on", async () => {
    for (const [isVisible, showLocation] of [[false, false], [true, false], [false, true]] as const) {
      await set(isVisible, { profile_visibility: "public", show_location: showLocation });
      for (const viewer of [max, ned, null]) expect(await location(viewer, lea)).toBeNull();
    }
  });

  it("with both on, whoever may see the profile: anyone for a public one, friends for a friends-only one, nobody else for a private one", async () => {
    await set(true, { profile_visibility: "public", show_location: true });
    for (const viewer of [max, ned, null]) expect(await location(viewer, lea)).toEqual(BE);
    await set(true, { profile_visibility: "friends", show_location: true });
    expect(await location(max, lea)).toEqual(BE);
    expect(await location(ned, lea)).toBeUndefined();
    expect(await location(null, lea)).toBeUndefined();
    await set(true, { profile_visibility: "private", show_location: true });
    expect(await location(max, lea)).toBeUndefined();
  });

  it("never across a block", async () => {
    await set(true, { profile_visibility: "public", show_location: true });
    await gw.db.root.query("insert into app_public.blocks (blocker_id, blocked_id) values ($1, $2)", [lea.id, ned.id]);
    try {
      expect(await location(ned, lea)).toBeUndefined();
    } finally {
      await gw.db.root.query("delete from app_public.blocks where blocker_id = $1", [lea.id]);
    }
    expect(await location(ned, lea)).toEqual(BE);
  });

  it("the table itself is the owner's: others read a shared location on the profile, never by a lookup", async () => {
    await set(true, { profile_visibility: "public", show_location: true });
    const lookup = `query ($id: UUID!) { userLocation(userId: $id) { countryCode } userLocations { nodes { userId } } }`;
    expect((await graphql(gw.url, lookup, { id: lea.id }, max.token)).data).toEqual({ userLocation: null, userLocations: { nodes: [] } });
    expect((await graphql(gw.url, lookup, { id: lea.id }, lea.token)).data).toEqual({ userLocation: { countryCode: "BE" }, userLocations: { nodes: [{ userId: lea.id }] } });
  });
});

describe("the index of shared locations", () => {
  it("exists on (country_code, region_code), partial: only visible locations", async () => {
    const { rows } = await gw.db.root.query(
      `select pg_get_indexdef(i.indexrelid) as def, pg_get_expr(i.indpred, i.indrelid) as predicate
       from pg_index i where i.indexrelid = 'app_public.user_locations_visible_idx'::regclass`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].def).toMatch(/ON app_public\.user_locations USING btree \(country_code, region_code\) WHERE is_visible$/);
    expect(rows[0].predicate).toBe("is_visible");
  });
});
