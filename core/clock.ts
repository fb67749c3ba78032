/**
 * The one clock of the bench. Everything that waits (the role's back-off,
 * heartbeats, connect timeouts, the scenario timeline, faults) takes a Clock,
 * so a scenario can run hours of simulated time in milliseconds of wall time.
 * Its shape is a superset of xstate's Clock, so the role's machine uses it too.
 */
export type TimerHandle = number;

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  /**
   * Runs `fn` once the I/O already arrived has been read: a deadline that expires is judged on
   * what arrived by then (the role's connect and handshake deadlines, RoleConnection). Node runs
   * timers before it reads sockets in the same loop iteration, so a timer can fire while the
   * answer it waits for sits unread. Absent (SimulatedClock): the verdict is taken at once, as
   * simulated time has no I/O of its own.
   */
  afterPendingIo?(fn: () => void): void;
}

/** Wall-clock time, for `serve`, `connect` and the dashboard. */
export class RealClock implements Clock {
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private nextId = 1;

  now(): number {
    return Date.now();
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    const t = setTimeout(() => {
      this.timers.delete(id);
      fn();
    }, Math.max(0, ms));
    this.timers.set(id, t);
    return id;
  }

  /** setImmediate: Node's check phase comes after the poll phase of the same iteration, which reads whatever has arrived. */
  afterPendingIo(fn: () => void): void {
    setImmediate(fn);
  }

  /** Cancels every pending timer (a command stopping at a signal leaves nothing to wait for). */
  clearAll(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  clearTimeout(handle: TimerHandle): void {
    const t = this.timers.get(handle);
    if (t !== undefined) {
      clearTimeout(t);
      this.timers.delete(handle);
    }
  }
}

interface PendingTimer {
  id: number;
  due: number;
  fn: () => void;
}

/**
 * Simulated time: nothing fires until someone advances the clock. Timers due
 * at the same instant fire in the order they were set, so runs are
 * deterministic.
 */
export class SimulatedClock implements Clock {
  private current: number;
  private readonly timers = new Map<number, PendingTimer>();
  private nextId = 1;

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { id, due: this.current + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle);
  }

  /** When the earliest pending timer is due, or undefined when none is pending. */
  nextDue(): number | undefined {
    let min: number | undefined;
    for (const t of this.timers.values()) {
      if (min === undefined || t.due < min) min = t.due;
    }
    return min;
  }

  pendingCount(): number {
    return this.timers.size;
  }

  /**
   * Fires every timer due at or before `time`, earliest first, and moves the
   * clock there. Returns how many timers fired. Timers set by fired timers are
   * honoured if they fall inside the window.
   */
  advanceTo(time: number): number {
    let fired = 0;
    for (;;) {
      let next: PendingTimer | undefined;
      for (const t of this.timers.values()) {
        if (t.due <= time && (next === undefined || t.due < next.due || (t.due === next.due && t.id < next.id))) {
          next = t;
        }
      }
      if (next === undefined) break;
      this.timers.delete(next.id);
      if (next.due > this.current) this.current = next.due;
      fired++;
      next.fn();
    }
    if (time > this.current) this.current = time;
    return fired;
  }

  /** Fires only the earliest due timer batch (all timers due at that instant). */
  advanceToNext(): boolean {
    const due = this.nextDue();
    if (due === undefined) return false;
    this.advanceTo(due);
    return true;
  }

  advanceBy(ms: number): number {
    return this.advanceTo(this.current + ms);
  }
}
