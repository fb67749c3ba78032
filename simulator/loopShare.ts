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
 */
export const DEFAULT_SLICE_MS = 8;

const nextIteration = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class LoopShare {
  /** When the current slice began (performance.now()), or -1 when none is running. */
  private sliceStart = -1;

  constructor(
    private readonly sliceMs = DEFAULT_SLICE_MS,
    /** Wall time in ms (tests pass a counter: the slice is measured, not assumed). */
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Called by a sync between two batches: resolves at once (a microtask) while the syncs'
   * slice of this loop iteration lasts, else in a later iteration, after the loop has run its
   * I/O and timers. Slices are wall time, so a starved process still ends its iterations.
   */
  async pace(): Promise<void> {
    // Checked again on waking: every sync woken in the next iteration must not run a batch
    // before asking, or the iteration would again hold one batch of every sync under way.
    for (;;) {
      const now = this.now();
      if (this.sliceStart < 0) {
        this.sliceStart = now;
        // The slice ends with this iteration: the next one starts afresh.
        setImmediate(() => {
          this.sliceStart = -1;
        });
      }
      if (now - this.sliceStart < this.sliceMs) return;
      await nextIteration();
    }
  }
}
