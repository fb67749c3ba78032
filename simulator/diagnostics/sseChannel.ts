/** The part of an http.ServerResponse a Server-Sent Events stream needs. */
export interface SseSink {
  readonly writableLength: number;
  writeHead(status: number, headers: Record<string, string>): unknown;
  write(chunk: string): boolean;
  destroy(): unknown;
  once(event: 'close', listener: () => void): unknown;
}

/**
 * The browsers watching the diagnostic page, each a Server-Sent Events
 * stream. A client that stops reading is dropped once more than
 * `maxQueueBytes` wait for it, so a stalled tab can never make the server
 * buffer without bound.
 */
export class SseChannel<S extends SseSink = SseSink> {
  private readonly clients = new Set<S>();
  /** Clients dropped for not reading. */
  dropped = 0;

  constructor(readonly maxQueueBytes = 1 << 20) {}

  get size(): number {
    return this.clients.size;
  }

  /** Starts the stream and sends what a new client needs first. */
  add(sink: S, first: Array<{ event: string; data: string }> = []): void {
    sink.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    // The browser reconnects by itself after 1 s if the stream breaks.
    sink.write('retry: 1000\n\n');
    this.clients.add(sink);
    sink.once('close', () => this.clients.delete(sink));
    for (const f of first) this.send(sink, f.event, f.data);
  }

  /** Sends one event to every client; returns how many got it. */
  broadcast(event: string, data: string): number {
    let n = 0;
    for (const c of [...this.clients]) if (this.send(c, event, data)) n++;
    return n;
  }

  private send(sink: S, event: string, data: string): boolean {
    if (!this.clients.has(sink)) return false;
    if (sink.writableLength > this.maxQueueBytes) {
      this.clients.delete(sink);
      this.dropped++;
      sink.destroy();
      return false;
    }
    // One `data:` line per line of the payload (JSON has none, but a message might).
    sink.write(`event: ${event}\n${data.split('\n').map((l) => `data: ${l}`).join('\n')}\n\n`);
    return true;
  }

  /** Ends every stream (the page shows "disconnected" and retries). */
  close(): void {
    for (const c of this.clients) c.destroy();
    this.clients.clear();
  }
}
