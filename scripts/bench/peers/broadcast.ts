// The realtime benchmark's floor (scripts/bench/realtime.ts): the least any
// server on Postgres can do to push one event to N websockets. It LISTENs
// for the event's id, reads the event once, makes one graphql-transport-ws
// `next` frame (lifegraph's textFrame) and writes those same bytes to every
// subscribed socket's stream. No token, no visibility, nothing per user:
// what lifegraph's latency is above this one's is the price of those; what
// this one's is, is the machine's (a loopback write per socket, the
// clients' reads, on the same cores).
// Prints "listening on <url>" once it LISTENs.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import pg from "pg";
import { WebSocketServer } from "ws";
import { textFrame } from "../../../src/realtime/frame.js";

const database = new pg.Client({ connectionString: process.env.DATABASE_URL });
await database.connect();

/** Subscribed sockets' streams, by the subscription id each chose (the frame names it). */
const subscribers = new Map<string, Set<Duplex>>();

const server = createServer();
const wss = new WebSocketServer({ noServer: true });
server.on("upgrade", (request, raw: Duplex, head: Buffer) => wss.handleUpgrade(request, raw, head, (socket) => {
  socket.on("message", (data) => {
    const message = JSON.parse(String(data)) as { type: string; id?: string };
    if (message.type === "connection_init") socket.send(JSON.stringify({ type: "connection_ack" }));
    else if (message.type === "subscribe" && message.id) {
      const id = message.id;
      let sockets = subscribers.get(id);
      if (!sockets) subscribers.set(id, (sockets = new Set()));
      sockets.add(raw);
      socket.once("close", () => sockets.delete(raw));
    }
  });
}));

// One event at a time, in NOTIFY order, as a real hub would keep them.
let chain = Promise.resolve();
database.on("notification", (notification) => {
  const { id } = JSON.parse(notification.payload!) as { id: string };
  chain = chain.then(async () => {
    const { rows: [event] } = await database.query(
      `select e.id, e.verb, e.metadata, json_build_object('username', u.username) as actor
         from app_public.activity_events e join app_public.users u on u.id = e.actor_id where e.id = $1`, [id]);
    if (!event) return;
    for (const [subscription, sockets] of subscribers) {
      const frame = textFrame(Buffer.from(JSON.stringify({ id: subscription, type: "next", payload: { data: { activityFeed: { event } } } })));
      for (const raw of sockets) raw.write(frame);
    }
  });
});
// The channel the bench's trigger notifies for V4 (scripts/bench/realtime.ts).
await database.query(`listen "postgraphile:feed"`);

server.listen(0, "127.0.0.1", () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
// Nothing to keep: the bench stops it with its sockets still open.
process.once("SIGTERM", () => process.exit(0));
