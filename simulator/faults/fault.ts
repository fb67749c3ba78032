import type { Clock } from '../../core/clock.js';
import { SeededRandom } from '../../core/random.js';
import type { LiveMessage, Message } from '../../protocol/messages.js';

/** The faults the fake server can inject (docs/reliability.md). */
export const FAULT_NAMES = [
  'resetAfter',
  'latency',
  'bandwidth',
  'slicer',
  'slowClose',
  'garbage',
  'truncate',
  'oversize',
  'wrongVersion',
  'foreignProtocol',
  'silence',
  'disorder',
] as const;
export type FaultName = (typeof FAULT_NAMES)[number];

/**
 * A fault as written in a scenario step or a `serve --fault` flag: its name,
 * its options, and the common knobs. `toxicity` is the probability (0..1) that
 * the fault acts on a connection (rolled once per connection with the seeded
 * PRNG, as Toxiproxy does); `times` caps how many connections it acts on.
 */
export interface FaultSpec {
  name: FaultName;
  options: Record<string, unknown>;
  toxicity?: number;
  seed?: number;
  times?: number;
}

/** One write: a frame and the message it carries, or bytes a fault made up. */
export interface OutItem {
  bytes: Buffer;
  msg?: Message;
}

/** What a fault may do to the connection it acts on. */
export interface FaultConnection {
  /** Server session id. */
  readonly session: number;
  readonly clock: Clock;
  /** This connection's own PRNG, derived from the fault's seed and the connection's rank. */
  readonly random: SeededRandom;
  /** Abrupt close: a TCP RST on a socket (the in-memory pipe just ends). */
  reset(reason: string): void;
  /** Graceful close once what is queued has been written. */
  end(reason: string): void;
  /** Writes items now (or in order after what is queued), past the message stage. */
  inject(items: OutItem[]): void;
}

/**
 * One fault's behaviour on one connection. Every hook is optional; the
 * session's FaultPipeline calls them for every outgoing frame.
 */
export interface ConnectionFault {
  /** Called once when attached (a fault acting "at once" acts here). */
  attached?(): void;
  /** Message stage: what goes out instead of this item (default: the item). */
  message?(item: OutItem): OutItem[];
  /** Byte stage: how one item's bytes are cut into writes (slicer, a byte-exact reset). */
  split?(bytes: Buffer): Buffer[];
  /** Milliseconds (on the server's clock) this write is held before it may go (latency). */
  delay?(chunk: Buffer): number;
  /** Milliseconds this write keeps the link busy after it went (bandwidth, slicer pacing). */
  occupy?(chunk: Buffer): number;
  /** After a chunk was written; `last` is true for the last chunk of an item. */
  written?(chunk: Buffer, item: OutItem, last: boolean): void;
  /** While true nothing is written: the socket stays open, silent (half-open). */
  mute?(): boolean;
  /** Milliseconds to wait before a graceful close really closes the socket (slow close). */
  closeDelay?(): number;
  /** The fault was removed: give back what it holds. */
  detached?(): void;
}

/** A fault, server-wide: decides per connection whether and how it acts. */
export interface Fault {
  readonly name: FaultName;
  readonly spec: FaultSpec;
  /** One line for the dashboard and `activeFaults()`, e.g. "latency 200ms ±50ms". */
  describe(): string;
  /** A connection starts (or the fault is added while it is open): its behaviour there, or undefined when spared. */
  attach(conn: Omit<FaultConnection, 'random'>): ConnectionFault | undefined;
}

export const LIVE_TYPES: ReadonlySet<string> = new Set(['change', 'alarm', 'alarmAck', 'alarmClear', 'event']);

export function isLive(m: Message | undefined): m is LiveMessage {
  return m !== undefined && LIVE_TYPES.has(m.t);
}

/** Default seed of a fault with none given: stable per name, so `serve` replays too. */
export function defaultSeed(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * The common part of every fault: the seeded toxicity roll per connection, the
 * `times` cap, and a per-connection PRNG (seed + rank), so a random schedule
 * replays exactly whatever the timing between connections.
 */
export function makeFault(spec: FaultSpec, describe: string, behaviour: (conn: FaultConnection) => ConnectionFault): Fault {
  const seed = spec.seed ?? defaultSeed(spec.name);
  const roll = new SeededRandom(seed);
  const toxicity = spec.toxicity ?? 1;
  let rank = 0;
  let acted = 0;
  const suffix = `${toxicity < 1 ? ` toxicity ${toxicity}` : ''}${spec.times !== undefined ? ` ×${spec.times}` : ''}`;
  return {
    name: spec.name,
    spec,
    describe: () => `${describe}${suffix}`,
    attach(conn) {
      rank++;
      const hit = roll.next() < toxicity;
      if (!hit || (spec.times !== undefined && acted >= spec.times)) return undefined;
      acted++;
      return behaviour({ ...conn, random: new SeededRandom((seed ^ Math.imul(rank, 0x9e3779b1)) >>> 0) });
    },
  };
}

/**
 * Injects made-up bytes once, after `afterFrames` more frames went out (0: at
 * once, even before the welcome of a new connection).
 */
export function injectAfter(afterFrames: number, conn: FaultConnection, make: () => OutItem[], extra: ConnectionFault = {}): ConnectionFault {
  let seen = 0;
  let done = false;
  return {
    ...extra,
    attached() {
      if (afterFrames === 0) {
        done = true;
        conn.inject(make());
      }
      extra.attached?.();
    },
    message(item) {
      const items = extra.message ? extra.message(item) : [item];
      if (done || !item.msg) return items;
      if (++seen === afterFrames) {
        done = true;
        return [...items, ...make()];
      }
      return items;
    },
  };
}
