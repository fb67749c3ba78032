import type { Clock, TimerHandle } from '../../core/clock.js';

export interface WatchdogOptions {
  clock: Clock;
  /** 0 = no handshake timeout. */
  handshakeTimeoutMs: number;
  /** 0 = no idle timeout. */
  idleTimeoutMs: number;
  expired(which: 'handshakeTimeout' | 'idleTimeout', ms: number): void;
}

/**
 * A connection's two deadlines, on the injected clock: the hello must arrive within the
 * handshake timeout; afterwards some progress (a whole message from the peer, or the peer
 * reading what we queued) must happen within the idle timeout. One timer at a time, re-armed
 * lazily, so a busy connection costs nothing per message. When a deadline passes, the verdict
 * waits one turn of the event loop, so bytes that arrived while the loop was busy are read
 * first (a burst of connections must not be timed out by the server's own slowness).
 */
export class SessionWatchdog {
  private timer: TimerHandle | undefined;
  private phase: 'handshake' | 'open' | 'stopped' = 'handshake';
  private lastProgress: number;

  constructor(private readonly o: WatchdogOptions) {
    this.lastProgress = o.clock.now();
    if (o.handshakeTimeoutMs > 0) this.arm(o.handshakeTimeoutMs);
  }

  /** The hello arrived: the idle deadline starts. */
  handshakeDone(): void {
    if (this.phase !== 'handshake') return;
    this.phase = 'open';
    this.clear();
    this.progress();
    if (this.o.idleTimeoutMs > 0) this.arm(this.o.idleTimeoutMs);
  }

  progress(): void {
    this.lastProgress = this.o.clock.now();
  }

  stop(): void {
    this.phase = 'stopped';
    this.clear();
  }

  private arm(ms: number): void {
    this.timer = this.o.clock.setTimeout(() => {
      this.timer = undefined;
      setImmediate(() => this.check());
    }, ms);
  }

  private check(): void {
    if (this.phase === 'handshake') {
      this.phase = 'stopped';
      this.o.expired('handshakeTimeout', this.o.handshakeTimeoutMs);
      return;
    }
    if (this.phase !== 'open') return;
    const left = this.lastProgress + this.o.idleTimeoutMs - this.o.clock.now();
    if (left > 0) {
      this.arm(left);
      return;
    }
    this.phase = 'stopped';
    this.o.expired('idleTimeout', this.o.idleTimeoutMs);
  }

  private clear(): void {
    if (this.timer !== undefined) this.o.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
