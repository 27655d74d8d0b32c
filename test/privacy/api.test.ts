// The privacy mutations over the real gateway: deleteAccount needs the
// password and a fresh sign-in (REAUT), refuses API keys, and ends every
// credential of the account; requestDataExport answers EXPRT the second time.
import { describe, expect, it } from "@jest/globals";
import { errorCodes, graphql, withSignedIn } from "../helpers/gateway.js";

const signedIn = withSignedIn(["pvapi_del", "pvapi_exp", "pvapi_old"] as const);

const DELETE = `mutation ($password: String!) { deleteAccount(input: { password: $password }) { result } }`;
const EXPORT = `mutation { requestDataExport(input: {}) { result { rowId status progress } } }`;
const ME = `query { currentUser { rowId } }`;

describe("deleteAccount", () => {
  it("refuses a wrong password (LOGIN) and a sign-in older than 10 minutes (REAUT), deleting nothing", async () => {
    const { gw, accounts: [, , old] } = signedIn();
    const wrong = await graphql(gw.url, DELETE, { password: "Not-The-Password-1" }, old.token);
    expect(errorCodes(wrong)).toEqual(["LOGIN"]);
    await gw.db.root.query("update app_private.sessions set created_at = now() - interval '11 minutes' where user_id = $1", [old.id]);
    const stale = await graphql(gw.url, DELETE, { password: "Correct-Horse-9" }, old.token);
    expect(errorCodes(stale)).toEqual(["REAUT"]);
    expect((await gw.db.root.query("select 1 from app_public.users where id = $1", [old.id])).rows).toHaveLength(1);
  });

  it("refuses an API key (DNIED)", async () => {
    const { gw, accounts: [me] } = signedIn();
    const key = await graphql(gw.url, `mutation { createApiKey(input: { name: "k", scopes: [READ, WRITE] }) { result { secret } } }`, {}, me.token);
    const secret = key.data.createApiKey.result.secret as string;
    expect(errorCodes(await graphql(gw.url, DELETE, { password: "Correct-Horse-9" }, secret))).toEqual(["DNIED"]);
  });

  it("with the password and a fresh sign-in, erases the account: its tokens and API keys stop working at once", async () => {
    const { gw, accounts: [me] } = signedIn();
    const key = await graphql(gw.url, `mutation { createApiKey(input: { name: "k2", scopes: [READ] }) { result { secret } } }`, {}, me.token);
    const secret = key.data.createApiKey.result.secret as string;
    expect((await graphql(gw.url, ME, {}, secret)).data.currentUser.rowId).toBe(me.id);
    const done = await graphql(gw.url, DELETE, { password: "Correct-Horse-9" }, me.token);
    expect(done.errors).toBeUndefined();
    expect(done.data.deleteAccount.result).toBe(true);
    expect(errorCodes(await graphql(gw.url, ME, {}, me.token))).toEqual(["AUTHN"]);
    expect(errorCodes(await graphql(gw.url, ME, {}, secret))).toEqual(["AUTHN"]);
    expect((await gw.db.root.query("select 1 from app_public.users where id = $1", [me.id])).rows).toEqual([]);
    const login = await graphql(gw.url, `mutation { login(input: { login: "pvapi_del", password: "Correct-Horse-9" }) { accessToken } }`);
    expect(errorCodes(login)).toEqual(["LOGIN"]);
  });
});

describe("requestDataExport", () => {
  it("queues an export the owner can follow, and refuses a second within a day (EXPRT)", async () => {
    const { gw, accounts: [, me] } = signedIn();
    const first = await graphql(gw.url, EXPORT, {}, me.token);
    expect(first.errors).toBeUndefined();
    expect(first.data.requestDataExport.result).toMatchObject({ status: "queued", progress: 0 });
    expect(errorCodes(await graphql(gw.url, EXPORT, {}, me.token))).toEqual(["EXPRT"]);
    const list = await graphql(gw.url, `query { dataExports { nodes { rowId status } } }`, {}, me.token);
    expect(list.data.dataExports.nodes).toEqual([{ rowId: first.data.requestDataExport.result.rowId, status: "queued" }]);
  });
});
