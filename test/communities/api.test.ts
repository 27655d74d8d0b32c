// Communities over the real gateway: found, join, read members as a fellow
// member, the metrics members read after the refresh job, and the stable
// codes of refusals.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { errorCodes, graphql, signUp, startTestGateway, writesNothing, type Account, type TestGateway } from "../helpers/gateway.js";
import { runQueuedJobs, queuedJobs } from "../helpers/jobs.js";
import { gqlOk, rootRows } from "../helpers/social.js";

let gw: TestGateway;
let founder: Account;
let joiner: Account;
let stranger: Account;
let communityId: string;

beforeAll(async () => {
  gw = await startTestGateway();
  founder = await signUp(gw.url, "capi_fo");
  joiner = await signUp(gw.url, "capi_jo");
  stranger = await signUp(gw.url, "capi_st");
});
afterAll(async () => {
  await gw?.close();
});

const CREATE = `mutation ($name: String!, $slug: String!, $policy: CommunityJoinPolicy) {
  createCommunity(input: { name: $name, slug: $slug, joinPolicy: $policy }) { result { rowId slug memberCount joinPolicy } } }`;
const JOIN = `mutation ($id: UUID!) { joinCommunity(input: { communityId: $id }) { result { role joinedVia } } }`;
const MEMBERS = `query ($id: UUID!) { community(rowId: $id) { name memberCount communityMembers { nodes { userId role } } } }`;
const METRICS = `query ($id: UUID!) { communityMetrics(communityId: $id) { nodes { day members newMembers activityEvents } } }`;

describe("communities over GraphQL", () => {
  it("founding returns the community with its founder counted", async () => {
    const data = await gqlOk(gw.url, CREATE, { name: "Morning Runners", slug: "morning-runners" }, founder.token);
    expect(data.createCommunity.result).toMatchObject({ slug: "morning-runners", memberCount: 1, joinPolicy: "open" });
    communityId = data.createCommunity.result.rowId;
  });

  it("a taken slug is NUNIQ naming its constraint, and writes nothing", async () => {
    const response = await writesNothing(gw.db, "communities", () =>
      graphql(gw.url, CREATE, { name: "Copy", slug: "Morning-Runners" }, stranger.token));
    expect(errorCodes(response)).toEqual(["NUNIQ"]);
    expect(response.errors![0]!.extensions?.constraint).toBe("community_slug_unique");
  });

  it("joining makes a fellow member, who then reads the member list; a stranger reads the community but no members", async () => {
    const data = await gqlOk(gw.url, JOIN, { id: communityId }, joiner.token);
    expect(data.joinCommunity.result).toEqual({ role: "member", joinedVia: "discovery" });
    const seen = await gqlOk(gw.url, MEMBERS, { id: communityId }, joiner.token);
    expect(seen.community.memberCount).toBe(2);
    expect(seen.community.communityMembers.nodes.map((m: { userId: string }) => m.userId).sort()).toEqual([founder.id, joiner.id].sort());
    const outside = await gqlOk(gw.url, MEMBERS, { id: communityId }, stranger.token);
    expect(outside.community).toMatchObject({ name: "Morning Runners", communityMembers: { nodes: [] } });
  });

  it("an approval community answers a direct join with COMJP", async () => {
    const other = (await gqlOk(gw.url, CREATE, { name: "Quiet Readers", slug: "quiet-readers", policy: "approval" }, founder.token))
      .createCommunity.result.rowId;
    expect(errorCodes(await graphql(gw.url, JOIN, { id: other }, stranger.token))).toEqual(["COMJP"]);
  });

  it("members read the metrics after the refresh job; strangers are refused", async () => {
    expect((await gqlOk(gw.url, "mutation { refreshCommunityMetrics(input: {}) { result } }", {}, founder.token)).refreshCommunityMetrics.result).toBe(true);
    // Asked twice, queued once.
    await gqlOk(gw.url, "mutation { refreshCommunityMetrics(input: {}) { result } }", {}, founder.token);
    expect(await queuedJobs(gw.db, "communities__refresh_metrics")).toHaveLength(1);
    expect(errorCodes(await graphql(gw.url, "mutation { refreshCommunityMetrics(input: {}) { result } }", {}, joiner.token))).toEqual(["DNIED"]);
    await runQueuedJobs(gw.db);
    const today = (await rootRows(gw.db, "select current_date::text as d"))[0]!.d;
    const days = (await gqlOk(gw.url, METRICS, { id: communityId }, joiner.token)).communityMetrics.nodes;
    // One event: the joiner's (founding writes none).
    expect(days.at(-1)).toEqual({ day: today, members: 2, newMembers: 2, activityEvents: 1 });
    const refused = await graphql(gw.url, METRICS, { id: communityId }, stranger.token);
    expect(errorCodes(refused)).toEqual(["COMRL"]);
  });
});
