import { Duplex } from 'node:stream';
import { HEADER_SIZE } from '../protocol/version.js';

const SYNC_END = Buffer.from('{"t":"syncEnd"');

/**
 * The far end of a server session with no socket: what the server writes is
 * kept in memory (frame by frame, as written) and written back as soon as it
 * arrives, so the server is never held back by a reader. `syncEnded` resolves
 * at the first syncEnd frame, the end of a full sync's bytes.
 */
export class RecordingStream extends Duplex {
  readonly chunks: Buffer[] = [];
  bytes = 0;
  private ended: (() => void) | undefined;
  readonly syncEnded: Promise<void>;

  constructor() {
    super({ highWaterMark: 1 << 20 });
    this.syncEnded = new Promise((resolve) => (this.ended = resolve));
  }

  override _read(): void {
    // What the "role" sends is pushed by the owner (say()).
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    // A session writes one frame per write: a syncEnd frame's JSON starts with its type.
    if (this.ended && chunk.length > HEADER_SIZE + SYNC_END.length && chunk.subarray(HEADER_SIZE, HEADER_SIZE + SYNC_END.length).equals(SYNC_END)) {
      const done = this.ended;
      this.ended = undefined;
      done();
    }
    callback();
  }

  /** Bytes from the "role" to the server. */
  say(frame: Buffer): void {
    this.push(frame);
  }
}
