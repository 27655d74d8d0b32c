// Websocket frames that the hub's hand-out writes itself, straight to the
// socket's stream. ws's own send builds an options object or two, a header
// buffer and a two-part corked write for every message: at 1,000
// subscribers that was about 14 µs and 2 KB of garbage a delivery, half the
// hand-out's CPU, and the garbage collector's pauses landed inside fan-outs
// (the p99). One buffer and one write per delivery instead. Only whole,
// unmasked text frames (what a server sends, RFC 6455 §5.2) are written
// here; ws still reads, pings, closes, and sends everything else, and since
// it never queues a frame of its own (no compression, no blobs), the two
// kinds of write keep their order on the stream.

/** One final, unmasked text frame whose payload is `parts`, concatenated. */
export function textFrame(...parts: Buffer[]): Buffer {
  let length = 0;
  for (const part of parts) length += part.length;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  // FIN and opcode 1 (text).
  frame[0] = 0x81;
  if (headerLength === 2) {
    frame[1] = length;
  } else if (headerLength === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  let offset = headerLength;
  for (const part of parts) offset += part.copy(frame, offset);
  return frame;
}
