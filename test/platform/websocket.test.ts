// GraphQL over websockets (graphql-ws) with the same bearer auth as HTTP,
// taken from the connection_init payload (refusals: test/realtime/sockets.test.ts).
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { register, startTestGateway, type TestGateway } from "../helpers/gateway.js";

let t: TestGateway;
const clients: Client[] = [];

beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await t.close();
});

function connect(authorization?: string): Client {
  const client = createClient({
    url: `${t.url.replace(/^http/, "ws")}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: authorization ? { authorization } : {},
    retryAttempts: 0,
  });
  clients.push(client);
  return client;
}

function once(client: Client, query: string): Promise<{ data?: any; errors?: any[] }> {
  return new Promise((resolve, reject) => {
    let result: { data?: any; errors?: any[] } = {};
    client.subscribe({ query }, {
      next: (value) => void (result = value as typeof result),
      error: (error) => (Array.isArray(error) ? resolve({ errors: error }) : reject(error)),
      complete: () => resolve(result),
    });
  });
}

describe("graphql-ws", () => {
  it("runs as the user named by the token in connection params", async () => {
    const session = await register(t.url, "ws_wendy");
    const result = await once(connect(`Bearer ${session.accessToken}`), "{ currentUser { username } }");
    expect(result.data.currentUser).toEqual({ username: "ws_wendy" });
  });

  it("runs queries and mutations too, as the same user, with no token check per operation", async () => {
    const session = await register(t.url, "ws_walt");
    const client = connect(`Bearer ${session.accessToken}`);
    const renamed = await once(client, `mutation { updateUser(input: { rowId: "${session.user.rowId}", patch: { displayName: "Walt" } }) { user { displayName } } }`);
    expect(renamed.data.updateUser.user).toEqual({ displayName: "Walt" });
    expect((await once(client, "{ currentUser { displayName } }")).data.currentUser).toEqual({ displayName: "Walt" });
  });
});
