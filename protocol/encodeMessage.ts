import type { Message } from './messages.js';
import { packBatch } from './packedBatch.js';
import { HEADER_SIZE, MAGIC_0, MAGIC_1 } from './version.js';

/**
 * One message -> one frame: "SP", uint32 BE payload length, UTF-8 JSON.
 * Pure: no sockets, no timers.
 */
export function encodeMessage(msg: Message): Buffer {
  return frameOf(JSON.stringify(msg));
}

/**
 * The same, with a batch in the packed encoding when it can be (protocol/packedBatch.ts): for a
 * peer whose hello asked for it.
 */
export function encodePacked(msg: Message): Buffer {
  return frameOf(JSON.stringify((msg.t === 'batch' && packBatch(msg)) || msg));
}

function frameOf(json: string): Buffer {
  const len = Buffer.byteLength(json);
  const frame = Buffer.allocUnsafe(HEADER_SIZE + len);
  frame[0] = MAGIC_0;
  frame[1] = MAGIC_1;
  frame.writeUInt32BE(len, 2);
  frame.write(json, HEADER_SIZE, 'utf8');
  return frame;
}
