// Bad user settings through the real gateway: refused with a stable code
// (docs/errors.md), never INTERNAL, keeping what was saved; the valid variant goes through.
import { describe, expect, it } from "@jest/globals";
import { graphql, refusal, withSignedIn } from "../helpers/gateway.js";

const session = withSignedIn(["idv_alice"]);

describe("user settings", () => {
  const UPDATE = `mutation ($user: UUID!, $tz: String!) {
    updateUserSetting(input: { userId: $user, patch: { timezone: $tz } }) { userSetting { timezone } }
  }`;
  const timezone = async () => {
    const { gw: t, accounts: [a] } = session();
    return (await t.db.root.query("select timezone from app_public.user_settings where user_id = $1", [a.id])).rows[0].timezone;
  };

  it("refuse an unknown time zone with BADIN timezone_known and keep the old one", async () => {
    const { gw: t, accounts: [a] } = session();
    const before = await timezone();
    const response = await graphql(t.url, UPDATE, { user: a.id, tz: "Mars/Olympus_Mons" }, a.token);
    expect(refusal(response)).toEqual([{ code: "BADIN", constraint: "timezone_known" }]);
    expect(await timezone()).toBe(before);
  });

  it("accept a known time zone", async () => {
    const { gw: t, accounts: [a] } = session();
    const response = await graphql(t.url, UPDATE, { user: a.id, tz: "Asia/Tokyo" }, a.token);
    expect(response.data.updateUserSetting.userSetting).toEqual({ timezone: "Asia/Tokyo" });
    expect(await timezone()).toBe("Asia/Tokyo");
  });
});
