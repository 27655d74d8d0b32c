// Direct messages over GraphQL, as an app sends and reads them.
import { graphql, type Account, type GraphQLResponse } from "./gateway.js";

export const MESSAGE_FIELDS = "rowId conversationId senderId bodyMd createdAt editedAt deletedAt deliveredAt readAt";

export interface Message {
  rowId: string;
  conversationId: string;
  senderId: string;
  bodyMd: string | null;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
  deliveredAt: string | null;
  readAt: string | null;
}

export function messaging(url: string) {
  const send = (from: Account, to: string, body: string | null): Promise<GraphQLResponse> =>
    graphql(url, `mutation ($to: UUID!, $body: String) { sendMessage(input: { recipientId: $to, bodyMd: $body }) { result { ${MESSAGE_FIELDS} } } }`,
      { to, body }, from.token);
  return {
    send,
    /** Sends and returns the message; fails the test on any error. */
    async sent(from: Account, to: Account | string, body: string): Promise<Message> {
      const response = await send(from, typeof to === "string" ? to : to.id, body);
      if (response.errors || !response.data?.sendMessage?.result) throw new Error(`sendMessage failed: ${JSON.stringify(response.errors)}`);
      return response.data.sendMessage.result as Message;
    },
    edit: (as: Account, messageId: string, body: string) =>
      graphql(url, `mutation ($id: UUID!, $body: String) { editMessage(input: { messageId: $id, bodyMd: $body }) { result { ${MESSAGE_FIELDS} } } }`,
        { id: messageId, body }, as.token),
    remove: (as: Account, messageId: string, forEveryone: boolean) =>
      graphql(url, `mutation ($id: UUID!, $all: Boolean) { deleteMessage(input: { messageId: $id, forEveryone: $all }) { result } }`,
        { id: messageId, all: forEveryone }, as.token),
    mark: (as: Account, conversationId: string, read: boolean) =>
      graphql(url, `mutation ($id: UUID!, $read: Boolean) { markConversation(input: { conversationId: $id, read: $read }) { result { userId deliveredUpTo readUpTo } } }`,
        { id: conversationId, read }, as.token),
    /** One message as `as` sees it (null when they cannot). */
    async message(as: Account, messageId: string): Promise<Message | null> {
      const response = await graphql(url, `query ($id: UUID!) { directMessage(rowId: $id) { ${MESSAGE_FIELDS} } }`, { id: messageId }, as.token);
      if (response.errors) throw new Error(JSON.stringify(response.errors));
      return response.data.directMessage;
    },
    /** The conversations `as` sees, newest first, with their messages oldest first. */
    async inbox(as: Account): Promise<{
      conversations: Array<{ rowId: string; unreadCount: number; otherUser: { rowId: string; username: string } | null; messages: Message[] }>;
      unread: number;
    }> {
      const response = await graphql(url, `{
        conversations(orderBy: [LAST_MESSAGE_AT_DESC]) { nodes { rowId unreadCount otherUser { rowId username }
          directMessages(orderBy: [CREATED_AT_ASC, ROW_ID_ASC]) { nodes { ${MESSAGE_FIELDS} } } } }
        unreadMessageCount
      }`, {}, as.token);
      if (response.errors) throw new Error(JSON.stringify(response.errors));
      return {
        conversations: response.data.conversations.nodes.map(({ directMessages, ...c }: any) => ({ ...c, messages: directMessages.nodes })),
        unread: response.data.unreadMessageCount,
      };
    },
  };
}
