import { Duplex } from 'node:stream';

/**
 * One end of an in-memory connection. What is written to one end is read from
 * the other, asynchronously (a write completes on a later turn of the event
 * loop, like a socket's), so a writer sees backpressure and 'drain'.
 * Ending one end (end()) ends the other's readable side, like a FIN;
 * destroying one end ends the other's readable side too (the peer sees 'end',
 * then may close its own side).
 */
class PipeEnd extends Duplex {
  peer: PipeEnd | undefined;
  private peerReadableEnded = false;
  /** Everything written to this end, in order (for tests that look at raw bytes). */
  readonly written: Buffer[] = [];

  constructor(highWaterMark: number) {
    super({ highWaterMark, allowHalfOpen: true });
  }

  override _read(): void {
    // Data is pushed by the peer's writes.
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.written.push(chunk);
    setImmediate(() => {
      this.deliver(chunk);
      callback();
    });
  }

  override _final(callback: (error?: Error | null) => void): void {
    setImmediate(() => {
      this.endPeer();
      callback();
    });
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.endPeer();
    callback(error);
  }

  private deliver(chunk: Buffer): void {
    const peer = this.peer;
    if (!peer || this.peerReadableEnded || peer.destroyed) return;
    peer.push(chunk);
  }

  private endPeer(): void {
    const peer = this.peer;
    if (!peer || this.peerReadableEnded) return;
    this.peerReadableEnded = true;
    if (!peer.destroyed) peer.push(null);
  }
}

export type DuplexEnd = Duplex & { readonly written: Buffer[] };

/** Two connected in-memory duplex streams: [a, b]; a's writes are b's reads and the other way round. */
export function duplexPair(options: { highWaterMark?: number } = {}): [DuplexEnd, DuplexEnd] {
  const hwm = options.highWaterMark ?? 16 * 1024;
  const a = new PipeEnd(hwm);
  const b = new PipeEnd(hwm);
  a.peer = b;
  b.peer = a;
  return [a, b];
}
