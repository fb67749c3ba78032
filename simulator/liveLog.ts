import type { LiveMessage } from '../protocol/messages.js';

/**
 * The recent alarm and event messages, by sequence number, so a role that
 * reconnects gets what it missed (R7: none lost). Bounded: the oldest entries
 * fall off past `capacity`.
 */
export class LiveLog {
  private readonly entries: LiveMessage[] = [];
  private head = 0;

  constructor(readonly capacity = 100_000) {}

  append(msg: LiveMessage): void {
    this.entries.push(msg);
    if (this.entries.length - this.head > this.capacity) this.head++;
    // Compact now and then so the array does not grow without bound.
    if (this.head > this.capacity) {
      this.entries.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Alarm and event messages with seq > `after`, oldest first. */
  since(after: number): LiveMessage[] {
    const out: LiveMessage[] = [];
    for (let i = this.head; i < this.entries.length; i++) {
      const m = this.entries[i];
      if (m && m.seq > after) out.push(m);
    }
    return out;
  }

  get oldestSeq(): number {
    return this.entries[this.head]?.seq ?? 0;
  }
}
