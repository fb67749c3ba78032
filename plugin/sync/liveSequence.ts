/** Sequence numbers held beyond a gap before the gap is given up (see mark). */
const MAX_SEQ_AHEAD = 10_000;

/**
 * R7 "none lost, none doubled": exactly-once processing of the live stream by sequence number,
 * in any arrival order, across reconnects and server lives (epochs).
 *
 * `lastSeq` is the contiguous high mark (what the role has processed without a gap), `ahead` the
 * numbers processed beyond it. A message overtaken on the wire is still taken when it arrives; a
 * repeat is dropped. `lastSeq` goes into every hello so the server replays only what is missing.
 */
export class LiveSequence {
  private epochId = '';
  private last = 0;
  private readonly ahead = new Set<number>();
  /** The sequence number of the last live change applied per entity (type:id), in this epoch. */
  private readonly changeSeq = new Map<string, number>();

  get epoch(): string {
    return this.epochId;
  }

  get lastSeq(): number {
    return this.last;
  }

  /**
   * A welcome names the server life. A new life restarts sequence numbers: a role that talked to
   * an earlier life takes the whole replay of this one (seq > 0); a brand-new role starts at the
   * server's current seq.
   */
  welcome(epoch: string, serverSeq: number): void {
    if (epoch === this.epochId) return;
    this.last = this.epochId === '' ? serverSeq : 0;
    this.ahead.clear();
    this.changeSeq.clear();
    this.epochId = epoch;
  }

  /** True the first time `seq` is seen (process it), false for a repeat (drop it). */
  mark(seq: number): boolean {
    if (seq <= this.last || this.ahead.has(seq)) return false;
    if (seq === this.last + 1) {
      this.last = seq;
      while (this.ahead.delete(this.last + 1)) this.last++;
    } else {
      this.ahead.add(seq);
      // A gap the server can no longer fill (its replay log is bounded): give up on it.
      if (this.ahead.size > MAX_SEQ_AHEAD) {
        this.last = Math.min(...this.ahead) - 1;
        while (this.ahead.delete(this.last + 1)) this.last++;
      }
    }
    return true;
  }

  /**
   * A change overtaken on the wire by a later change of the same entity is stale: false means
   * skip it. Otherwise records it as the entity's latest.
   */
  takeChange(key: string, seq: number): boolean {
    if ((this.changeSeq.get(key) ?? 0) > seq) return false;
    this.changeSeq.set(key, seq);
    return true;
  }
}
