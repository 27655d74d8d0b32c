// The Subscription type, and the topic each of its fields subscribes to.
// Each event arrives already shaped by the one statement the hub ran for
// all subscribers (app_private.realtime_batch), so these types are plain
// objects with no plans: subscriptions run through src/realtime/live.ts,
// which projects each event once for all subscribers of a selection set,
// never through grafast. Adding a subscription is one log topic in
// migrations/fixtures/realtime/, one field here and its topic in topicFor.
import { extendSchema } from "postgraphile/utils";
import type { Identity } from "../identity/service.js";
import type { RealtimeService } from "./service.js";
import type { FeedScope, Topic } from "./hub.js";

declare global {
  namespace Grafast {
    interface Context {
      lifegraphIdentity: Identity;
      lifegraphRealtime?: RealtimeService;
      /** Websockets: closes the socket of a subscription that fell too far behind. */
      lifegraphCutOff?: () => void;
    }
  }
}

/** The topic a Subscription field's (coerced) arguments ask for. */
export function topicFor(fieldName: string, args: Record<string, unknown>): Topic {
  switch (fieldName) {
    case "activityFeed":
      return { kind: "activity", scope: (args.scope as FeedScope | undefined) ?? "friends", after: (args.after as string | null | undefined) ?? null };
    case "notificationReceived":
      return { kind: "notification" };
    case "messageReceived":
      return { kind: "message", conversationId: (args.conversationId as string | null | undefined) ?? null };
    case "leaderboardChanged":
      return { kind: "leaderboard", competitionId: args.competitionId as string };
  }
  throw new Error(`no topic for Subscription.${fieldName}`);
}

export const RealtimePlugin = extendSchema(() => ({
  typeDefs: /* GraphQL */ `
    "Who did it, as shown with a live event."
    type LiveActor {
      id: UUID!
      username: String!
      displayName: String
      avatarUrl: String
    }
    "An activity event as it happens (the fields of ActivityEvent that a feed shows)."
    type LiveActivityEvent {
      id: UUID!
      verb: String!
      objectType: String!
      objectId: UUID!
      metadata: JSON!
      visibility: ActivityVisibility!
      createdAt: Datetime!
      actor: LiveActor
    }
    type ActivityFeedUpdate {
      "Pass it as \`after\` when you subscribe again, to receive exactly what came after this."
      cursor: String!
      """
      True when more was missed than can be replayed (or the resume point is older than a week):
      reload the feed with the activityFeed query, then carry on from this update's cursor. \`event\` is then null.
      """
      refetch: Boolean!
      event: LiveActivityEvent
    }
    type LiveNotification {
      id: UUID!
      type: String!
      title: String!
      body: String!
      createdAt: Datetime!
    }
    type NotificationReceived {
      notification: LiveNotification!
      "Your unread, unarchived notifications, this one included."
      unreadCount: Int!
    }
    enum MessageUpdateKind {
      "A new message: \`message\` is set."
      MESSAGE
      "A member's delivered or read mark moved: \`receipt\` is set."
      RECEIPT
    }
    type LiveMessage {
      id: UUID!
      conversationId: UUID!
      senderId: UUID!
      bodyMd: String
      createdAt: Datetime!
    }
    type MessageReceipt {
      conversationId: UUID!
      userId: UUID!
      deliveredUpTo: Datetime
      readUpTo: Datetime
    }
    type MessageUpdate {
      kind: MessageUpdateKind!
      conversationId: UUID!
      message: LiveMessage
      receipt: MessageReceipt
    }
    "A competition's standings moved: read them with competitionLeaderboard (where your blocks apply)."
    type LeaderboardChanged {
      competitionId: UUID!
      participantCount: Int!
      status: CompetitionStatus!
      changedAt: Datetime!
    }
    extend type Subscription {
      """
      Your feed as it happens, in order, each event once: the events of a scope (as the activityFeed
      query) that you may see when they are delivered. With \`after\` (an update's cursor), first what you
      missed since then (up to 500; past that, one update with refetch), then live.
      Errors: AUTHN, SUBLM, BADIN.
      """
      activityFeed(scope: FeedFilter = friends, after: String): ActivityFeedUpdate!
      "Your new in-app notifications, with your unread count. Errors: AUTHN, SUBLM."
      notificationReceived: NotificationReceived!
      "New messages and moved receipts in your conversations, or in one. Errors: AUTHN, SUBLM."
      messageReceived(conversationId: UUID): MessageUpdate!
      """
      A signal each time a competition's scores change (once per transaction), for those who may see the
      competition. Errors: AUTHN, SUBLM.
      """
      leaderboardChanged(competitionId: UUID!): LeaderboardChanged!
    }
  `,
}));

