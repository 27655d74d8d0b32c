// The Subscription type. Each event arrives already shaped by the one
// statement the hub ran for all subscribers (app_private.realtime_batch), so
// these types are plain objects read with access(): delivering an event to a
// subscriber runs no SQL, whatever the number of subscribers. Adding a
// subscription is one log topic in migrations/fixtures/realtime/ and one
// field here.
import { extendSchema } from "postgraphile/utils";
import { context, lambda, listen, type Step } from "postgraphile/grafast";
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

function subscribeTo($topic: Step<Topic>) {
  const $pubsub = lambda(context(), (ctx) => ctx.lifegraphRealtime?.pubsubFor(ctx.lifegraphIdentity, ctx.lifegraphCutOff) ?? null);
  return listen($pubsub as never, $topic as never);
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
  objects: {
    Subscription: {
      plans: {
        activityFeed: {
          subscribePlan: (_$root, fieldArgs) =>
            subscribeTo(
              lambda([fieldArgs.getRaw("scope"), fieldArgs.getRaw("after")], ([scope, after]) => ({
                kind: "activity",
                scope: ((scope as string | null) ?? "friends") as FeedScope,
                after: (after as string | null) ?? null,
              })),
            ),
          plan: ($event: Step) => $event,
        },
        notificationReceived: {
          subscribePlan: () => subscribeTo(lambda(null, () => ({ kind: "notification" }) as Topic, true)),
          plan: ($event: Step) => $event,
        },
        messageReceived: {
          subscribePlan: (_$root, fieldArgs) =>
            subscribeTo(
              lambda(fieldArgs.getRaw("conversationId"), (conversationId) => ({
                kind: "message",
                conversationId: (conversationId as string | null) ?? null,
              })),
            ),
          plan: ($event: Step) => $event,
        },
        leaderboardChanged: {
          subscribePlan: (_$root, fieldArgs) =>
            subscribeTo(
              lambda(fieldArgs.getRaw("competitionId"), (competitionId) => ({
                kind: "leaderboard",
                competitionId: competitionId as string,
              })),
            ),
          plan: ($event: Step) => $event,
        },
      },
    },
  },
}));
