import net from 'node:net';
import { encodeMessage } from '../protocol/encodeMessage.js';
import { FrameDecoder } from '../protocol/frameDecoder.js';
import type { Hello, Message } from '../protocol/messages.js';
import { PROTOCOL_VERSION } from '../protocol/version.js';

export function helloMessage(roleId = 'wire-peer'): Hello {
  return { t: 'hello', v: PROTOCOL_VERSION, roleId, roleName: roleId, epoch: '', lastSeq: 0 };
}

/**
 * A hostile (or merely odd) peer of the fake SiPass server over loopback TCP, for the peer fuzzer
 * and the limit tests: it writes whatever it is told, reads (and decodes) only while reading is
 * on, and records how the server ended the connection.
 */
export class WirePeer {
  readonly received: Message[] = [];
  bytesIn = 0;
  bytesOut = 0;
  closed = false;
  /** The last error frame the server sent (its code names the limit that closed us). */
  lastError: { code: string; message: string } | undefined;
  readonly done: Promise<void>;
  private readonly decoder = new FrameDecoder({ maxFrame: 2 ** 31 });
  private decodeFailed = false;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.bytesIn += chunk.length;
      if (this.decodeFailed) return;
      try {
        for (const m of this.decoder.push(chunk)) {
          this.received.push(m);
          if (m.t === 'error') this.lastError = { code: m.code, message: m.message };
        }
      } catch {
        this.decodeFailed = true;
      }
    });
    // Writes after the server closed fail with EPIPE/ECONNRESET: expected, not a test failure.
    socket.on('error', () => undefined);
    this.done = new Promise((resolve) =>
      socket.once('close', () => {
        this.closed = true;
        resolve();
      }),
    );
  }

  static connect(port: number, host = '127.0.0.1'): Promise<WirePeer> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host });
      socket.setNoDelay(true);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new WirePeer(socket));
      });
      socket.once('error', reject);
    });
  }

  write(bytes: Buffer | Uint8Array): boolean {
    if (this.socket.destroyed) return false;
    this.bytesOut += bytes.length;
    return this.socket.write(bytes);
  }

  send(m: Message): boolean {
    return this.write(encodeMessage(m));
  }

  /** Stops reading: the server's writes pile up in the kernel, then in its own buffers. */
  stopReading(): void {
    this.socket.pause();
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** N ping frames back to back, as one buffer. */
export function pingFrames(n: number, from = 1): Buffer {
  const frames: Buffer[] = [];
  for (let i = 0; i < n; i++) frames.push(encodeMessage({ t: 'ping', n: from + i }));
  return Buffer.concat(frames);
}
