// The frames the hub writes itself (src/realtime/frame.ts), read by a real
// ws client over a real socket: each of the three length encodings, UTF-8
// intact, and in order with what ws itself sends on the same socket.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import WebSocket, { WebSocketServer } from "ws";
import { textFrame } from "../../src/realtime/frame.js";

let server: Server;
let url: string;
/** Resolves with the server side's websocket and its stream, for each connection. */
let accepted: (pair: { socket: WebSocket; raw: Duplex }) => void;

beforeAll(async () => {
  const wss = new WebSocketServer({ noServer: true });
  server = createServer();
  server.on("upgrade", (request, raw: Duplex, head: Buffer) =>
    wss.handleUpgrade(request, raw, head, (socket) => accepted({ socket, raw })));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it("writes text frames of every length encoding that a ws client reads whole, in order with ws's own messages", async () => {
  const serverSide = new Promise<{ socket: WebSocket; raw: Duplex }>((resolve) => (accepted = resolve));
  const client = new WebSocket(url);
  const received: string[] = [];
  const all = new Promise<void>((resolve, reject) => {
    client.on("message", (data: Buffer, isBinary) => {
      if (isBinary) reject(new Error("a frame arrived as binary"));
      received.push(data.toString());
      if (received.length === 5) resolve();
    });
    client.on("error", reject);
    client.on("close", (code) => reject(new Error(`the client closed the socket (${code}): a malformed frame`)));
  });
  const { socket, raw } = await serverSide;
  // 7-bit, 16-bit and 64-bit payload lengths; multi-byte characters count in bytes.
  const short = "{\"ok\":\"ä\"}";
  const medium = `{"x":"${"é".repeat(200)}"}`;
  const long = `{"x":"${"z".repeat(70_000)}"}`;
  raw.write(textFrame(Buffer.from(short)));
  socket.send("between");
  raw.write(textFrame(Buffer.from('{"x":'), Buffer.from(`"${"é".repeat(200)}"`), Buffer.from("}")));
  raw.write(textFrame(Buffer.from(long)));
  socket.send("after");
  await all;
  expect(received).toEqual([short, "between", medium, long, "after"]);
  client.close();
});
