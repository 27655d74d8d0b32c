// The example client: signs in, reads and writes with typed operations,
// and prints what it got.
//
//   npx tsx examples/client/index.ts [http://127.0.0.1:5678] [alice] [lifegraph-demo-1] [bob]
//
// The last argument is whom to send a message to (their settings must accept
// it: the demo users alice, bob and carol are friends).
import { makeClient } from "./client.js";
import { ActivityFeedPage, CreateJournalEntry, CurrentUser, FindUser, Login, RecentJournalEntries, SendMessage } from "./operations.js";

const [baseUrl = "http://127.0.0.1:5678", login = "alice", password = "lifegraph-demo-1", recipient = "bob"] = process.argv.slice(2);
const client = makeClient(baseUrl);
const print = (what: string, value: unknown) => console.log(JSON.stringify({ [what]: value }));

const signedIn = await client.request(Login, { login, password });
if (!signedIn.login) throw new Error("login returned nothing");
client.token = signedIn.login.accessToken;

const me = await client.request(CurrentUser);
print("currentUser", me.currentUser);

const created = await client.request(CreateJournalEntry, {
  entry: { contentMd: "Wrote this from the typed example client.", title: "Example client", tags: ["example"] },
});
print("createdJournalEntry", created.createJournalEntry?.journalEntry);

const journal = await client.request(RecentJournalEntries, { first: 3 });
print("journalEntries", journal.journalEntries);

const feed = await client.request(ActivityFeedPage, { scope: "friends", pageSize: 5 });
print("activityFeed", feed.activityFeed);

const found = await client.request(FindUser, { term: recipient });
const to = found.searchUsers?.find((u) => u?.username === recipient);
if (!to) throw new Error(`no user ${recipient} found`);
const sent = await client.request(SendMessage, { recipientId: to.rowId, bodyMd: `Hello ${to.displayName ?? to.username}, from the example client.` });
print("sentMessage", sent.sendMessage?.result);
