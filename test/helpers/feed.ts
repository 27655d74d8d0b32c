// Helpers of the feed tests: activity events are written only by triggers,
// so a test makes one the way a user does (keeps a ritual, finishes a goal)
// and finds the event it caused; and the feed as a client pages through it.
import type { TestDatabase } from "./db.js";
import { graphql, type GraphQLResponse } from "./gateway.js";
import { gqlOk } from "./social.js";

export type Scope = "friends" | "following" | "me" | "public";
export const SCOPES: readonly Scope[] = ["friends", "following", "me", "public"];

/** What a feed answers an `after` that is not one of its cursors (app_hidden.feed_position). */
export const MALFORMED_CURSOR = "`after` must be the `cursor` of an event of this feed.";

export const FEED = `query ($scope: FeedFilter, $pageSize: Int, $after: String) {
  activityFeed(scope: $scope, pageSize: $pageSize, after: $after) { rowId actorId verb visibility cursor createdAt } }`;

export interface FeedItem {
  rowId: string;
  actorId: string;
  verb: string;
  visibility: string;
  cursor: string;
  createdAt: string;
}

export function feedPage(url: string, token: string | undefined, scope: Scope, pageSize?: number | null, after?: string | null): Promise<GraphQLResponse> {
  return graphql(url, FEED, { scope, pageSize, after }, token);
}

/** One page of the feed, which must succeed. */
export async function feed(url: string, token: string | undefined, scope: Scope, pageSize: number | null = 100, after?: string): Promise<FeedItem[]> {
  return (await gqlOk(url, FEED, { scope, pageSize, after }, token)).activityFeed;
}

/** Every page, following `cursor` until a page comes back empty. */
export async function wholeFeed(url: string, token: string | undefined, scope: Scope, pageSize: number): Promise<{ items: FeedItem[]; pages: number }> {
  const items: FeedItem[] = [];
  let after: string | undefined;
  for (let pages = 1; pages < 1000; pages++) {
    const page = await feed(url, token, scope, pageSize, after);
    if (page.length === 0) return { items, pages };
    items.push(...page);
    after = page[page.length - 1]!.cursor;
  }
  throw new Error("the feed never ended");
}

/** A daily ritual of the user's, made through the API. */
export async function newRitual(url: string, token: string, title: string): Promise<string> {
  const data = await gqlOk(url, `mutation ($title: String!) { createRitual(input: { ritual: { title: $title } }) { ritual { rowId } } }`, { title }, token);
  return data.createRitual.ritual.rowId;
}

/** The ritual kept `daysAgo` days ago, through the API; returns the activity event the completion caused. */
export async function completeRitual(db: TestDatabase, url: string, token: string, ritualId: string, daysAgo: number): Promise<string> {
  const completedAt = new Date(Date.now() - daysAgo * 86_400_000).toISOString();
  const data = await gqlOk(url, `mutation ($ritualId: UUID!, $completedAt: Datetime!) {
    createRitualCompletion(input: { ritualCompletion: { ritualId: $ritualId, completedAt: $completedAt } }) { ritualCompletion { rowId } } }`,
  { ritualId, completedAt }, token);
  return eventOf(db, `completion:${data.createRitualCompletion.ritualCompletion.rowId}`);
}

/** The id of the event written under a dedupe key (as superuser). */
export async function eventOf(db: TestDatabase, dedupeKey: string): Promise<string> {
  const { rows } = await db.root.query<{ id: string }>("select id from app_public.activity_events where dedupe_key = $1", [dedupeKey]);
  if (rows.length !== 1) throw new Error(`expected one event for ${dedupeKey}, found ${rows.length}`);
  return rows[0]!.id;
}

/** Sets the user's default activity visibility through the API, as the user. */
export async function setDefaultVisibility(url: string, token: string, userId: string, visibility: string): Promise<void> {
  await gqlOk(url, `mutation ($id: UUID!, $v: ActivityVisibility!) {
    updatePrivacySetting(input: { userId: $id, patch: { defaultActivityVisibility: $v } }) { privacySetting { defaultActivityVisibility } } }`,
  { id: userId, v: visibility }, token);
}

export const UPDATE_VISIBILITY = `mutation ($id: UUID!, $v: ActivityVisibility!) {
  updateActivityEvent(input: { rowId: $id, patch: { visibility: $v } }) { activityEvent { rowId visibility } } }`;
export const DELETE_EVENT = `mutation ($id: UUID!) { deleteActivityEvent(input: { eventId: $id }) { result { rowId } } }`;
export const MODERATE = `mutation ($id: UUID!, $hide: Boolean!, $reason: String) {
  moderateActivityEvent(input: { eventId: $id, hide: $hide, reason: $reason }) { result { rowId } } }`;
export const HIDE = `mutation ($id: UUID!) { createActivityHide(input: { activityHide: { eventId: $id } }) { activityHide { eventId userId } } }`;
export const REPORT = `mutation ($id: UUID!, $reason: String!) {
  createContentReport(input: { contentReport: { eventId: $id, reason: $reason } }) { contentReport { rowId eventId reporterId } } }`;
