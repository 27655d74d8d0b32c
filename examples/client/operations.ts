// The operations of the example client. `npm run codegen` reads the
// graphql(…) documents below, types them against schema.graphql and writes
// gql/, including gql/persisted-documents.json: the manifest of hashes a
// production gateway accepts (TRUSTED_DOCUMENTS). Add an operation here, run
// the codegen and ship the new manifest with the gateway.
import { graphql } from "./gql/index.js";

export const Login = graphql(`
  mutation Login($login: String!, $password: String!) {
    login(input: { login: $login, password: $password }) {
      accessToken
      accessTokenExpiresAt
      refreshToken
    }
  }
`);

export const CurrentUser = graphql(`
  query CurrentUser {
    currentUser {
      rowId
      username
      displayName
      isAdmin
    }
  }
`);

export const RecentJournalEntries = graphql(`
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
`);

export const CreateJournalEntry = graphql(`
  mutation CreateJournalEntry($entry: JournalEntryInput!) {
    createJournalEntry(input: { journalEntry: $entry }) {
      journalEntry {
        rowId
        entryDate
        title
        createdAt
      }
    }
  }
`);

export const ActivityFeedPage = graphql(`
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
`);

export const FindUser = graphql(`
  query FindUser($term: String!) {
    searchUsers(term: $term, first: 5) {
      rowId
      username
      displayName
    }
  }
`);

export const SendMessage = graphql(`
  mutation SendMessage($recipientId: UUID!, $bodyMd: String!) {
    sendMessage(input: { recipientId: $recipientId, bodyMd: $bodyMd }) {
      result {
        rowId
        conversationId
        createdAt
      }
    }
  }
`);
