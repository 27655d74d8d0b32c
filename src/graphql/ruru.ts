// What Ruru (/graphiql, on in development) shows on a first visit: a
// document that signs in as the demo user and two queries to run with the
// token. Ruru's `defaultQuery` is used only while the browser has no saved
// document of its own, so nobody's edits are overwritten.
import { DEMO_PASSWORD, DEMO_USERS } from "../db/seed.js";

const demo = DEMO_USERS[0]!;

export const RURU_DEFAULT_DOCUMENT = `# Welcome to lifegraph.
#
# 1. Put the cursor in SignIn and press Ctrl-Enter (or
#    click ▶ and pick SignIn): it signs in as the demo
#    user ${demo.username} (\`npm start\` seeds the demo data).
# 2. Copy the accessToken from the result, open Headers
#    (below this editor) and paste:
#    {"Authorization": "Bearer <accessToken>"}
# 3. Run Me and MyJournal the same way. When the token
#    expires (accessTokenExpiresAt), sign in again.
#    The Docs pane (left) explains every field.

mutation SignIn {
  login(input: { login: "${demo.username}", password: "${DEMO_PASSWORD}" }) {
    accessToken
    accessTokenExpiresAt
    user { username displayName }
  }
}

query Me {
  currentUser { username displayName isAdmin }
}

query MyJournal {
  journalEntries(first: 5, orderBy: [ENTRY_DATE_DESC]) {
    totalCount
    nodes { entryDate title sentiment tags }
  }
}
`;

type RuruClientConfig = NonNullable<NonNullable<GraphileConfig.Preset["ruru"]>["clientConfig"]>;

export const RuruPreset: GraphileConfig.Preset = {
  // The cast: ruru's types pick these props from GraphiQL's, whose types are
  // not installed, which makes every one of them look required.
  ruru: { clientConfig: { defaultQuery: RURU_DEFAULT_DOCUMENT } as RuruClientConfig },
};
