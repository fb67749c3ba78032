import type { Message } from './messages.js';
import { ProtocolError, type ProtocolErrorCode } from './protocolError.js';
import { isPackedBatch, unpackBatch } from './packedBatch.js';
import { messageProblem } from './validateMessage.js';
import { DEFAULT_MAX_FRAME, HEADER_SIZE, MAGIC_0, MAGIC_1 } from './version.js';

const EMPTY = Buffer.alloc(0);

/** What a peer that is not a SiPass proxy tends to send first. */
const FOREIGN_PREFIXES: Array<[string, string]> = [
  ['GET ', 'HTTP'],
  ['POST', 'HTTP'],
  ['PUT ', 'HTTP'],
  ['HEAD', 'HTTP'],
  ['HTTP', 'HTTP'],
  ['SSH-', 'SSH'],
  ['\u0016\u0003', 'TLS'],
  ['220 ', 'SMTP/FTP'],
  ['+OK', 'POP3'],
  ['*', 'Redis'],
];

/**
 * Whether these first bytes (at most 4 are looked at) could still grow into a
 * known foreign prefix: the decoder waits for more before naming the peer, so
 * "GET " in 1-byte chunks is named the same as in one chunk.
 */
function foreignPrefixPossible(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 4).toString('latin1');
  return FOREIGN_PREFIXES.some(([prefix]) => prefix.length > head.length && prefix.startsWith(head));
}

function foreignProtocol(bytes: Buffer): string | undefined {
  const head = bytes.subarray(0, 4).toString('latin1');
  for (const [prefix, name] of FOREIGN_PREFIXES) {
    if (head.startsWith(prefix)) return name;
  }
  return undefined;
}

/**
 * A resumable decoder: feed it any chunks, get whole messages back, the same
 * ones whatever the chunk boundaries. Pure (no sockets, no timers), so it is
 * tested in memory and fuzzed. The frame length is checked against the limit
 * before any buffer is allocated for it. After an error the decoder is
 * poisoned: the connection it serves must be closed.
 */
export class FrameDecoder {
  private pending: Buffer = EMPTY;
  /** Stream offset of pending[0]. */
  private base = 0;
  private failed: ProtocolError | undefined;
  readonly maxFrame: number;
  /** Frames and bytes decoded so far (for statistics and the bench). */
  frames = 0;
  bytes = 0;

  constructor(options: { maxFrame?: number } = {}) {
    this.maxFrame = options.maxFrame ?? DEFAULT_MAX_FRAME;
  }

  /** Bytes received but not yet forming a whole frame. */
  get buffered(): number {
    return this.pending.length;
  }

  /**
   * Decodes what `chunk` completes. Throws ProtocolError for anything
   * malformed (and for any later call).
   */
  push(chunk: Uint8Array): Message[] {
    if (this.failed) throw this.failed;
    // A view, not a copy (a Buffer is a Uint8Array too); a socket's chunk is a Buffer already.
    const input = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const buf = this.pending.length === 0 ? input : Buffer.concat([this.pending, input]);
    const out: Message[] = [];
    let pos = 0;
    while (buf.length - pos >= 2) {
      if (buf[pos] !== MAGIC_0 || buf[pos + 1] !== MAGIC_1) {
        if (foreignPrefixPossible(buf.subarray(pos))) break;
        const foreign = foreignProtocol(buf.subarray(pos));
        if (foreign !== undefined) {
          throw this.fail(
            'PROTO_FOREIGN_PROTOCOL',
            `the peer speaks another protocol (looks like ${foreign}), not the SiPass proxy protocol`,
            pos,
          );
        }
        const got = buf.subarray(pos, pos + 2).toString('hex');
        throw this.fail('PROTO_BAD_MAGIC', `bad frame start 0x${got}, expected 0x5350 ("SP")`, pos);
      }
      if (buf.length - pos < HEADER_SIZE) break;
      const len = buf.readUInt32BE(pos + 2);
      if (len > this.maxFrame) {
        throw this.fail('PROTO_FRAME_TOO_LARGE', `frame of ${len} bytes exceeds the ${this.maxFrame}-byte limit`, pos);
      }
      if (buf.length - pos - HEADER_SIZE < len) break;
      const start = pos + HEADER_SIZE;
      const text = buf.toString('utf8', start, start + len);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (e) {
        throw this.fail('PROTO_BAD_JSON', `frame payload is not valid JSON: ${(e as Error).message}`, pos);
      }
      if (typeof value === 'object' && value !== null && !Array.isArray(value) && isPackedBatch(value as Record<string, unknown>)) {
        const batch = unpackBatch(value as Record<string, unknown>);
        if (typeof batch === 'string') throw this.fail('PROTO_BAD_MESSAGE', batch, pos);
        value = batch;
      }
      const problem = messageProblem(value);
      if (problem !== undefined) throw this.fail('PROTO_BAD_MESSAGE', problem, pos);
      out.push(value as Message);
      this.frames++;
      this.bytes += HEADER_SIZE + len;
      pos = start + len;
    }
    // Keep only the unconsumed tail, copied so a large chunk is not pinned by a small remainder
    // (and the caller may reuse its chunk); most chunks end on a frame boundary: nothing to keep.
    this.pending = pos === buf.length ? EMPTY : Buffer.from(buf.subarray(pos));
    this.base += pos;
    return out;
  }

  /** Poisons the decoder with the error at `pos` (relative to this push) and returns it to throw. */
  private fail(code: ProtocolErrorCode, message: string, pos: number): ProtocolError {
    this.failed = new ProtocolError(code, message, this.base + pos);
    return this.failed;
  }

  /**
   * The stream ended: a partial frame left over is a truncation. Returns the
   * error (does not throw) so callers can report it as the close reason.
   */
  end(): ProtocolError | undefined {
    if (this.failed) return this.failed;
    if (this.pending.length > 0) {
      this.failed = new ProtocolError(
        'PROTO_TRUNCATED',
        `connection closed in the middle of a frame (${this.pending.length} bytes pending)`,
        this.base,
      );
      return this.failed;
    }
    return undefined;
  }
}
