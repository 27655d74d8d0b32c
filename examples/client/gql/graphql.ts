/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Whose events a feed shows: your friends', those you follow, yours, or everyone's public ones. */
export type FeedFilter =
  | 'following'
  | 'friends'
  | 'me'
  | 'public';

/** An input for mutations affecting `JournalEntry` */
export type JournalEntryInput = {
  contentMd: string;
  /** The day the entry is about (defaults to today in your time zone). At most two days ahead. */
  entryDate?: string | null | undefined;
  tags?: Array<string | null | undefined> | null | undefined;
  title?: string | null | undefined;
};

export type LoginMutationVariables = Exact<{
  login: string;
  password: string;
}>;


export type LoginMutation = { login: { accessToken: string, accessTokenExpiresAt: string, refreshToken: string } | null };

export type CurrentUserQueryVariables = Exact<{ [key: string]: never; }>;


export type CurrentUserQuery = { currentUser: { rowId: string, username: string, displayName: string | null, isAdmin: boolean | null } | null };

export type RecentJournalEntriesQueryVariables = Exact<{
  first: number;
}>;


export type RecentJournalEntriesQuery = { journalEntries: { totalCount: number, nodes: Array<{ rowId: string, entryDate: string, title: string | null, sentiment: string | null, tags: Array<string | null> } | null> } | null };

export type CreateJournalEntryMutationVariables = Exact<{
  entry: JournalEntryInput;
}>;


export type CreateJournalEntryMutation = { createJournalEntry: { journalEntry: { rowId: string, entryDate: string, title: string | null, createdAt: string } | null } | null };

export type ActivityFeedPageQueryVariables = Exact<{
  scope: FeedFilter;
  pageSize: number;
  after?: string | null | undefined;
}>;


export type ActivityFeedPageQuery = { activityFeed: Array<{ rowId: string, verb: string, metadata: unknown, createdAt: string, cursor: string | null, actor: { username: string } | null } | null> | null };

export type FindUserQueryVariables = Exact<{
  term: string;
}>;


export type FindUserQuery = { searchUsers: Array<{ rowId: string, username: string, displayName: string | null } | null> | null };

export type SendMessageMutationVariables = Exact<{
  recipientId: string;
  bodyMd: string;
}>;


export type SendMessageMutation = { sendMessage: { result: { rowId: string, conversationId: string, createdAt: string } | null } | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const LoginDocument = new TypedDocumentString(`
    mutation Login($login: String!, $password: String!) {
  login(input: {login: $login, password: $password}) {
    accessToken
    accessTokenExpiresAt
    refreshToken
  }
}
    `, {"hash":"sha256:26a0c3466996de3a458798218824a56d3699f3def93fae0e1d8b15726087f44a"}) as unknown as TypedDocumentString<LoginMutation, LoginMutationVariables>;
export const CurrentUserDocument = new TypedDocumentString(`
    query CurrentUser {
  currentUser {
    rowId
    username
    displayName
    isAdmin
  }
}
    `, {"hash":"sha256:654b0bbeba7fdbb37d58cc1203328e1f46fc204b375089d1c839a7a8faba5c6f"}) as unknown as TypedDocumentString<CurrentUserQuery, CurrentUserQueryVariables>;
export const RecentJournalEntriesDocument = new TypedDocumentString(`
    query RecentJournalEntries($first: Int!) {
  journalEntries(first: $first, orderBy: [ENTRY_DATE_DESC]) {
    totalCount
    nodes {
      rowId
      entryDate
      title
      sentiment
      tags
    }
  }
}
    `, {"hash":"sha256:b69a12cc2614ad63cc7188e5fc4fd6528ecf2fa1a0f2a94dd0aa4484616857df"}) as unknown as TypedDocumentString<RecentJournalEntriesQuery, RecentJournalEntriesQueryVariables>;
export const CreateJournalEntryDocument = new TypedDocumentString(`
    mutation CreateJournalEntry($entry: JournalEntryInput!) {
  createJournalEntry(input: {journalEntry: $entry}) {
    journalEntry {
      rowId
      entryDate
      title
      createdAt
    }
  }
}
    `, {"hash":"sha256:119a0b9d0d47a83ab926ff8d17d6020742ee6d9faadd515573f1a4e18d1a9dbb"}) as unknown as TypedDocumentString<CreateJournalEntryMutation, CreateJournalEntryMutationVariables>;
export const ActivityFeedPageDocument = new TypedDocumentString(`
    query ActivityFeedPage($scope: FeedFilter!, $pageSize: Int!, $after: String) {
  activityFeed(scope: $scope, pageSize: $pageSize, after: $after) {
    rowId
    verb
    metadata
    createdAt
    cursor
    actor {
      username
    }
  }
}
    `, {"hash":"sha256:47e22ee209168f21010ffb9b4ccfd887431d15633a84c0ce61f057eab83c2103"}) as unknown as TypedDocumentString<ActivityFeedPageQuery, ActivityFeedPageQueryVariables>;
export const FindUserDocument = new TypedDocumentString(`
    query FindUser($term: String!) {
  searchUsers(term: $term, first: 5) {
    rowId
    username
    displayName
  }
}
    `, {"hash":"sha256:efb86f2a01d2d1937d4233012c1e347b6cd5a41842d5ec20603d98937919e17c"}) as unknown as TypedDocumentString<FindUserQuery, FindUserQueryVariables>;
export const SendMessageDocument = new TypedDocumentString(`
    mutation SendMessage($recipientId: UUID!, $bodyMd: String!) {
  sendMessage(input: {recipientId: $recipientId, bodyMd: $bodyMd}) {
    result {
      rowId
      conversationId
      createdAt
    }
  }
}
    `, {"hash":"sha256:47d3157e68583945c567c68d6dad7d3007ab8751dfd5a461be592bae3985217e"}) as unknown as TypedDocumentString<SendMessageMutation, SendMessageMutationVariables>;