/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation Login($login: String!, $password: String!) {\n    login(input: { login: $login, password: $password }) {\n      accessToken\n      accessTokenExpiresAt\n      refreshToken\n    }\n  }\n": typeof types.LoginDocument,
    "\n  query CurrentUser {\n    currentUser {\n      rowId\n      username\n      displayName\n      isAdmin\n    }\n  }\n": typeof types.CurrentUserDocument,
    "\n  query RecentJournalEntries($first: Int!) {\n    journalEntries(first: $first, orderBy: [ENTRY_DATE_DESC]) {\n      totalCount\n      nodes {\n        rowId\n        entryDate\n        title\n        sentiment\n        tags\n      }\n    }\n  }\n": typeof types.RecentJournalEntriesDocument,
    "\n  mutation CreateJournalEntry($entry: JournalEntryInput!) {\n    createJournalEntry(input: { journalEntry: $entry }) {\n      journalEntry {\n        rowId\n        entryDate\n        title\n        createdAt\n      }\n    }\n  }\n": typeof types.CreateJournalEntryDocument,
    "\n  query ActivityFeedPage($scope: FeedFilter!, $pageSize: Int!, $after: String) {\n    activityFeed(scope: $scope, pageSize: $pageSize, after: $after) {\n      rowId\n      verb\n      metadata\n      createdAt\n      cursor\n      actor {\n        username\n      }\n    }\n  }\n": typeof types.ActivityFeedPageDocument,
    "\n  query FindUser($term: String!) {\n    searchUsers(term: $term, first: 5) {\n      rowId\n      username\n      displayName\n    }\n  }\n": typeof types.FindUserDocument,
    "\n  mutation SendMessage($recipientId: UUID!, $bodyMd: String!) {\n    sendMessage(input: { recipientId: $recipientId, bodyMd: $bodyMd }) {\n      result {\n        rowId\n        conversationId\n        createdAt\n      }\n    }\n  }\n": typeof types.SendMessageDocument,
};
const documents: Documents = {
    "\n  mutation Login($login: String!, $password: String!) {\n    login(input: { login: $login, password: $password }) {\n      accessToken\n      accessTokenExpiresAt\n      refreshToken\n    }\n  }\n": types.LoginDocument,
    "\n  query CurrentUser {\n    currentUser {\n      rowId\n      username\n      displayName\n      isAdmin\n    }\n  }\n": types.CurrentUserDocument,
    "\n  query RecentJournalEntries($first: Int!) {\n    journalEntries(first: $first, orderBy: [ENTRY_DATE_DESC]) {\n      totalCount\n      nodes {\n        rowId\n        entryDate\n        title\n        sentiment\n        tags\n      }\n    }\n  }\n": types.RecentJournalEntriesDocument,
    "\n  mutation CreateJournalEntry($entry: JournalEntryInput!) {\n    createJournalEntry(input: { journalEntry: $entry }) {\n      journalEntry {\n        rowId\n        entryDate\n        title\n        createdAt\n      }\n    }\n  }\n": types.CreateJournalEntryDocument,
    "\n  query ActivityFeedPage($scope: FeedFilter!, $pageSize: Int!, $after: String) {\n    activityFeed(scope: $scope, pageSize: $pageSize, after: $after) {\n      rowId\n      verb\n      metadata\n      createdAt\n      cursor\n      actor {\n        username\n      }\n    }\n  }\n": types.ActivityFeedPageDocument,
    "\n  query FindUser($term: String!) {\n    searchUsers(term: $term, first: 5) {\n      rowId\n      username\n      displayName\n    }\n  }\n": types.FindUserDocument,
    "\n  mutation SendMessage($recipientId: UUID!, $bodyMd: String!) {\n    sendMessage(input: { recipientId: $recipientId, bodyMd: $bodyMd }) {\n      result {\n        rowId\n        conversationId\n        createdAt\n      }\n    }\n  }\n": types.SendMessageDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($login: String!, $password: String!) {\n    login(input: { login: $login, password: $password }) {\n      accessToken\n      accessTokenExpiresAt\n      refreshToken\n    }\n  }\n"): typeof import('./graphql.js').LoginDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CurrentUser {\n    currentUser {\n      rowId\n      username\n      displayName\n      isAdmin\n    }\n  }\n"): typeof import('./graphql.js').CurrentUserDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecentJournalEntries($first: Int!) {\n    journalEntries(first: $first, orderBy: [ENTRY_DATE_DESC]) {\n      totalCount\n      nodes {\n        rowId\n        entryDate\n        title\n        sentiment\n        tags\n      }\n    }\n  }\n"): typeof import('./graphql.js').RecentJournalEntriesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateJournalEntry($entry: JournalEntryInput!) {\n    createJournalEntry(input: { journalEntry: $entry }) {\n      journalEntry {\n        rowId\n        entryDate\n        title\n        createdAt\n      }\n    }\n  }\n"): typeof import('./graphql.js').CreateJournalEntryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ActivityFeedPage($scope: FeedFilter!, $pageSize: Int!, $after: String) {\n    activityFeed(scope: $scope, pageSize: $pageSize, after: $after) {\n      rowId\n      verb\n      metadata\n      createdAt\n      cursor\n      actor {\n        username\n      }\n    }\n  }\n"): typeof import('./graphql.js').ActivityFeedPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FindUser($term: String!) {\n    searchUsers(term: $term, first: 5) {\n      rowId\n      username\n      displayName\n    }\n  }\n"): typeof import('./graphql.js').FindUserDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendMessage($recipientId: UUID!, $bodyMd: String!) {\n    sendMessage(input: { recipientId: $recipientId, bodyMd: $bodyMd }) {\n      result {\n        rowId\n        conversationId\n        createdAt\n      }\n    }\n  }\n"): typeof import('./graphql.js').SendMessageDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
