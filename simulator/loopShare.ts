/**
 * Shares the server's event loop between the full syncs under way and everything else it must
 * do: accept connections, read hellos, answer pings, fire the limits' timers.
 *
 * Why (issue 11, `npm run load`): Node 20's libuv accepts at most one connection per event-loop
 * iteration (libuv 1.45, "unix: don't accept() connections in a loop"; the kernel keeps the rest
 * in the listen queue, though the peers already see themselves connected). A sync that writes
 * batch after batch into a socket that takes them all (loopback, roomy kernel buffers) never
 * lets an iteration end; one turn per batch still makes an iteration as long as one batch of
 * every sync under way. With 200 roles starting together the server then took one new
 * connection per second or slower, and roles waiting in the listen queue hit
 * ROLE_CONNECT_TIMEOUT (5 s from their TCP connect to the welcome), reconnected, and queued
 * again. Bounding the syncs' share of each iteration keeps iterations short, so connections are
 * accepted and answered at once whatever the number of syncs; the syncs still get the whole
 * loop when nothing else is waiting.
 *
 * Arrivals first: even an 8 ms slice per iteration lets only a hundred connections a second
 * through (fewer on a loaded machine, where the slice is wall time and the process gets a
 * fraction of a core), and 200 roles dial at once. A connection accepted in this iteration or
 * the one before means the listen queue may hold more (libuv takes one per iteration, and
 * takes one every iteration while any wait), so the syncs hold back and each iteration is one
 * accept and the hellos read: the queue empties at the loop's fastest. The hold is bounded
 * (`maxHoldMs`): under an endless stream of connections the syncs still get a slice every
 * `maxHoldMs`, so a connection flood slows the syncs down but never stops them.
 */
export const DEFAULT_SLICE_MS = 8;
export const DEFAULT_MAX_HOLD_MS = 100;

const nextIteration = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class LoopShare {
  /** When the current slice began (now()), or -1 when none is running. */
  private sliceStart = -1;
  /** Loop iterations seen end (counted only while someone paces or a connection arrived). */
  private iteration = 0;
  private endHookPending = false;
  /** The iteration in which the last connection was accepted. */
  private lastArrival = Number.NEGATIVE_INFINITY;
  /** When the syncs were first held back for arrivals without a batch since, or -1. */
  private heldSince = -1;
  private ranThisIteration = false;
  /** Syncs held back for arrivals, resumed together when the hold ends. */
  private parked: Array<() => void> = [];
  /** Batches held back for arrivals, and the slices granted because a hold reached `maxHoldMs` (for tests and the load report). */
  held = 0;
  holdsExpired = 0;

  constructor(
    private readonly sliceMs = DEFAULT_SLICE_MS,
    /** Wall time in ms (tests pass a counter: the slice is measured, not assumed). */
    private readonly now: () => number = () => performance.now(),
    private readonly maxHoldMs = DEFAULT_MAX_HOLD_MS,
  ) {}

  /** The server accepted a connection: more may wait in the listen queue. */
  arrival(): void {
    this.lastArrival = this.iteration;
    this.endOfIteration();
  }

  /** True while connections were accepted in this iteration or the previous one. */
  get arriving(): boolean {
    return this.iteration - this.lastArrival <= 1;
  }

  /**
   * Called by a sync between two batches (and before its first): resolves at once (a
   * microtask) while the syncs' slice of this loop iteration lasts, else in a later iteration,
   * after the loop has run its I/O and timers. Slices are wall time, so a starved process still
   * ends its iterations.
   */
  async pace(): Promise<void> {
    // Checked again on waking: every sync woken in the next iteration must not run a batch
    // before asking, or the iteration would again hold one batch of every sync under way.
    for (;;) {
      const now = this.now();
      if (this.sliceStart < 0) {
        this.sliceStart = now;
        this.endOfIteration();
      }
      const allowance = this.allowance(now);
      if (now - this.sliceStart < allowance) {
        this.ranThisIteration = true;
        return;
      }
      // Held back for arrivals: parked until they are over (or the hold reaches its bound), so
      // 200 held syncs cost nothing per iteration and each iteration stays one accept long.
      if (allowance === 0) await new Promise<void>((resolve) => this.parked.push(resolve));
      else await nextIteration();
    }
  }

  /** The syncs' slice in this iteration: none while connections arrive, unless held back for `maxHoldMs` already. */
  private allowance(now: number): number {
    if (!this.arriving) return this.sliceMs;
    if (this.heldSince < 0) this.heldSince = now;
    if (now - this.heldSince >= this.maxHoldMs) {
      if (!this.ranThisIteration) this.holdsExpired++;
      return this.sliceMs;
    }
    this.held++;
    return 0;
  }

  /** Marks the end of this iteration (the check phase, after the poll phase's accepts and reads). */
  private endOfIteration(): void {
    if (this.endHookPending) return;
    this.endHookPending = true;
    setImmediate(() => {
      this.endHookPending = false;
      this.iteration++;
      // The slice ends with this iteration: the next one starts afresh.
      this.sliceStart = -1;
      // A hold ends when a batch ran, or when nothing arrives any more.
      if (this.ranThisIteration || !this.arriving) this.heldSince = -1;
      this.ranThisIteration = false;
      if (this.parked.length > 0) {
        if (!this.arriving || (this.heldSince >= 0 && this.now() - this.heldSince >= this.maxHoldMs)) {
          // Each in an immediate of its own: Node runs the microtasks between two immediates, so
          // a resumed sync's batch is done before the next one asks whether the slice lasts.
          // Resolved together, all would ask first (the slice barely begun) and all would run a
          // batch in this one iteration: 300 batches, a second's stall on a loaded machine.
          const parked = this.parked;
          this.parked = [];
          for (const resume of parked) setImmediate(resume);
        } else if (this.heldSince < 0) {
          // A slice just ran: the hold of those still parked starts again.
          this.heldSince = this.now();
        }
      }
      // Counted until arrivals are over, whether or not a sync paces meanwhile.
      if (this.arriving) this.endOfIteration();
    });
  }
}
