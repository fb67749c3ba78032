import type { Duplex } from 'node:stream';
import type { Clock, TimerHandle } from '../../core/clock.js';
import type { ConnectionFault, Fault, FaultConnection, OutItem } from './fault.js';

/** How a session closes: after the queue (and any slow close), at once, or with a reset. */
export type CloseHow = 'graceful' | 'now' | 'reset';

export interface PipelineOwner {
  readonly stream: Duplex;
  readonly clock: Clock;
  readonly session: number;
  /** A fault closes the connection (the session records why). */
  close(reason: string, how: CloseHow): void;
  /** The pipeline's own queue emptied: writers waiting for backpressure may go on. */
  drained(): void;
}

interface Queued {
  chunk: Buffer;
  item: OutItem;
  last: boolean;
  due: number;
}

/** Above this many queued bytes `send` reports backpressure, like a socket's high-water mark. */
const QUEUE_HIGH_WATER = 64 * 1024;

/**
 * Every frame a ServerSession sends goes through here. With no fault attached
 * it is a plain `stream.write`. With faults it runs their message stage
 * (replace, drop, duplicate, hold), their byte stage (cut into writes), then an
 * ordered outbound queue driven by the injected clock: a write is due at
 * max(now + delays, the link's free time, the previous write's due time), so
 * latency and bandwidth never reorder bytes and simulated time drives them.
 */
export class FaultPipeline {
  private readonly attachedFaults: Array<{ fault: Fault; behaviour: ConnectionFault }> = [];
  private queue: Queued[] = [];
  private queuedSize = 0;
  private lastDue = 0;
  private linkFreeAt = 0;
  private timer: TimerHandle | undefined;
  private closing: { how: CloseHow; done: () => void } | undefined;
  private closeArmed = false;
  private finished = false;

  constructor(private readonly owner: PipelineOwner) {}

  /** Bytes held in the fault queue (not yet written to the socket). */
  get queuedBytes(): number {
    return this.queuedSize;
  }

  get active(): boolean {
    return this.attachedFaults.length > 0;
  }

  names(): string[] {
    return this.attachedFaults.map((a) => a.fault.name);
  }

  /** Attaches a fault to this connection (it may decline: toxicity, times). */
  attach(fault: Fault): void {
    if (this.finished) return;
    const conn: Omit<FaultConnection, 'random'> = {
      session: this.owner.session,
      clock: this.owner.clock,
      reset: (reason) => this.owner.close(`${fault.name}: ${reason}`, 'reset'),
      end: (reason) => this.owner.close(`${fault.name}: ${reason}`, 'graceful'),
      inject: (items) => {
        for (const item of items) this.push(item);
      },
    };
    const behaviour = fault.attach(conn);
    if (!behaviour) return;
    this.attachedFaults.push({ fault, behaviour });
    behaviour.attached?.();
  }

  detach(fault: Fault): void {
    const i = this.attachedFaults.findIndex((a) => a.fault === fault);
    if (i < 0) return;
    const [gone] = this.attachedFaults.splice(i, 1);
    gone?.behaviour.detached?.();
    // What the removed fault held goes now, in order (the remaining faults apply to new frames).
    const now = this.owner.clock.now();
    for (const q of this.queue) q.due = Math.min(q.due, now);
    this.lastDue = Math.min(this.lastDue, now);
    this.linkFreeAt = Math.min(this.linkFreeAt, now);
    this.flush();
  }

  /** Sends one encoded frame; false means "wait for drain" (backpressure). */
  send(item: OutItem): boolean {
    if (this.finished) return true;
    if (this.attachedFaults.length === 0 && this.queue.length === 0 && !this.lostBytes) return this.owner.stream.write(item.bytes);
    let items = [item];
    for (const { behaviour } of [...this.attachedFaults]) {
      if (behaviour.message) items = items.flatMap((x) => behaviour.message?.(x) ?? [x]);
    }
    let ok = true;
    for (const x of items) ok = this.push(x) && ok;
    return ok && this.queuedSize < QUEUE_HIGH_WATER;
  }

  /** Set once a frame was dropped: TCP cannot lose bytes mid-stream and go on, so the connection stays silent. */
  private lostBytes = false;

  private muted(): boolean {
    return this.lostBytes || this.attachedFaults.some((a) => a.behaviour.mute?.() === true);
  }

  private push(item: OutItem): boolean {
    if (this.finished) return true;
    let chunks = [item.bytes];
    for (const { behaviour } of this.attachedFaults) {
      if (behaviour.split) chunks = chunks.flatMap((c) => behaviour.split?.(c) ?? [c]);
    }
    let ok = true;
    const now = this.owner.clock.now();
    chunks.forEach((chunk, i) => {
      let delay = 0;
      let occupy = 0;
      for (const { behaviour } of this.attachedFaults) {
        delay += behaviour.delay?.(chunk) ?? 0;
        occupy += behaviour.occupy?.(chunk) ?? 0;
      }
      const due = Math.max(now + delay, this.linkFreeAt, this.lastDue);
      this.lastDue = due;
      this.linkFreeAt = due + occupy;
      const q: Queued = { chunk, item, last: i === chunks.length - 1, due };
      if (due <= now && this.queue.length === 0) ok = this.write(q) && ok;
      else {
        this.queue.push(q);
        this.queuedSize += chunk.length;
      }
    });
    this.schedule();
    return ok;
  }

  private write(q: Queued): boolean {
    const stream = this.owner.stream;
    if (this.finished || stream.destroyed || stream.writableEnded) return true;
    if (this.muted()) {
      // Half-open: dropped, the socket stays open (and silent for good, even if the fault goes).
      this.lostBytes = true;
      return true;
    }
    const ok = stream.write(q.chunk);
    for (const { behaviour } of [...this.attachedFaults]) behaviour.written?.(q.chunk, q.item, q.last);
    return ok;
  }

  private schedule(): void {
    if (this.timer !== undefined || this.finished) return;
    const head = this.queue[0];
    if (!head) {
      this.maybeClose();
      return;
    }
    const wait = Math.max(0, head.due - this.owner.clock.now());
    this.timer = this.owner.clock.setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, wait);
  }

  private flush(): void {
    if (this.timer !== undefined) {
      this.owner.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    const now = this.owner.clock.now();
    const had = this.queue.length > 0;
    while (this.queue.length > 0 && !this.finished) {
      const head = this.queue[0] as Queued;
      if (head.due > now) break;
      this.queue.shift();
      this.queuedSize -= head.chunk.length;
      this.write(head);
    }
    if (had && this.queue.length === 0) this.owner.drained();
    this.schedule();
  }

  /**
   * The session closes. `reset` and `now` drop what is queued; `graceful`
   * lets the queue go out first, then waits for any slow close.
   */
  close(how: CloseHow, done: () => void): void {
    if (this.finished || this.closing) return;
    this.closing = { how, done };
    if (how !== 'graceful') {
      this.queue = [];
      this.queuedSize = 0;
    }
    this.maybeClose();
  }

  private maybeClose(): void {
    const c = this.closing;
    if (!c || this.finished || this.closeArmed || this.queue.length > 0) return;
    this.closeArmed = true;
    const delay = c.how === 'graceful' ? Math.max(0, ...this.attachedFaults.map((a) => a.behaviour.closeDelay?.() ?? 0)) : 0;
    const finish = (): void => {
      if (this.finished) return;
      this.finished = true;
      if (this.timer !== undefined) this.owner.clock.clearTimeout(this.timer);
      this.timer = undefined;
      for (const { behaviour } of this.attachedFaults) behaviour.detached?.();
      this.attachedFaults.length = 0;
      c.done();
    };
    if (delay > 0) this.timer = this.owner.clock.setTimeout(finish, delay);
    else finish();
  }
}
