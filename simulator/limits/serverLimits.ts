import { openFileLimit } from './openFileLimit.js';

/**
 * What one fake SiPass server grants each peer (docs/reliability.md, "Server limits"). A test
 * bench left running on a developer's machine must not be starved by one peer: every limit
 * ends the offending connection (or refuses a new one) with a log line naming it. 0 turns a
 * timeout or a cap off.
 */
export interface ServerLimits {
  /** From accept to a whole `hello`; the role sends it as soon as it connects. */
  handshakeTimeoutMs: number;
  /**
   * No message from the peer and nothing of ours read by it for this long. The role pings every
   * 10 s (plugin/connection/roleConnection.ts DEFAULT_TIMINGS), so a live role is never idle.
   */
  idleTimeoutMs: number;
  /**
   * The largest frame a peer may send, and so the most one connection's decoder holds. A role
   * only sends small messages (hello, syncRequest, ping, ack, scAck: well under 1 KiB).
   */
  maxInputBytes: number;
  /** Bytes queued toward one peer (socket buffer plus fault queue); beyond it the peer is closed. */
  maxOutputBytes: number;
  /** Connections open at once; more are refused (and logged). */
  maxConnections: number;
}

export type LimitName = 'handshakeTimeout' | 'idleTimeout' | 'inputCap' | 'outputCap' | 'maxConnections' | 'acceptError';

export const LIMIT_NAMES: readonly LimitName[] = ['handshakeTimeout', 'idleTimeout', 'inputCap', 'outputCap', 'maxConnections', 'acceptError'];

/** The error code a limit closes a connection with (in the close reason and the error frame). */
export const LIMIT_CODES: Record<LimitName, string> = {
  handshakeTimeout: 'LIMIT_HANDSHAKE_TIMEOUT',
  idleTimeout: 'LIMIT_IDLE_TIMEOUT',
  inputCap: 'LIMIT_INPUT',
  outputCap: 'LIMIT_OUTPUT',
  maxConnections: 'LIMIT_CONNECTIONS',
  acceptError: 'SERVER_ACCEPT_FAILED',
};

/** File descriptors kept for the process itself (stdio, epoll, the listener, the control port, logs). */
const FD_RESERVE = 64;
const DEFAULT_MAX_CONNECTIONS = 1_000;

export const DEFAULT_SERVER_LIMITS: Readonly<Omit<ServerLimits, 'maxConnections'>> = {
  handshakeTimeoutMs: 10_000,
  idleTimeoutMs: 45_000,
  maxInputBytes: 64 * 1024,
  maxOutputBytes: 8 * 1024 * 1024,
};

/**
 * 1,000, or fewer when the open-file limit is lower: Node 20 hides EMFILE on accept (libuv takes
 * the connection and closes it, no 'error' on the server), so the connection cap must bite first
 * for the refusal to be logged.
 */
export function defaultMaxConnections(fileLimit = openFileLimit()): number {
  if (fileLimit === undefined) return DEFAULT_MAX_CONNECTIONS;
  return Math.max(1, Math.min(DEFAULT_MAX_CONNECTIONS, fileLimit - FD_RESERVE));
}

export function resolveLimits(partial: Partial<ServerLimits> = {}): ServerLimits {
  return { ...DEFAULT_SERVER_LIMITS, maxConnections: partial.maxConnections ?? defaultMaxConnections(), ...stripUndefined(partial) };
}

function stripUndefined(p: Partial<ServerLimits>): Partial<ServerLimits> {
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined));
}

/** One line for `serve`'s banner. */
export function describeLimits(l: ServerLimits): string {
  const ms = (n: number): string => (n === 0 ? 'off' : n % 1000 === 0 ? `${n / 1000}s` : `${n}ms`);
  const bytes = (n: number): string => (n === 0 ? 'off' : n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : n % 1024 === 0 ? `${n / 1024} KiB` : `${n} B`);
  return `handshake ${ms(l.handshakeTimeoutMs)}, idle ${ms(l.idleTimeoutMs)}, input ${bytes(l.maxInputBytes)}, output ${bytes(l.maxOutputBytes)}, connections ${l.maxConnections}`;
}
