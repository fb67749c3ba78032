import type { SiPassType } from '../protocol/sipassTypes.js';
import type { ScType } from '../plugin/securitycenter/scTypes.js';
import type { PopulationSpec } from '../simulator/populationSpec.js';
import type { MemoryPeak } from './memorySampler.js';

/**
 * The messages between the bench (parent) and its child processes. Every
 * child takes commands on its IPC channel, answers with one message per
 * command, and exits by itself after `stop` (or after its one job).
 */
export type ParentCommand =
  | { cmd: 'start'; population: PopulationSpec }
  | { cmd: 'record'; population: PopulationSpec }
  | { cmd: 'sync'; host: string; port: number; timeoutMs: number }
  | { cmd: 'limit'; host: string; port: number; types: SiPassType[]; timeoutMs: number }
  | { cmd: 'live'; count: number; window: number }
  | { cmd: 'liveLimit'; host: string; port: number; count: number; timeoutMs: number }
  | { cmd: 'expectLive'; count: number; timeoutMs: number }
  | { cmd: 'stats' }
  | { cmd: 'stop' };

export interface SyncedReport {
  kind: 'synced';
  ms: number;
  entities: number;
  counts: Record<ScType, number>;
  digest: string;
  serverDigest: string | null;
  bytesIn: number;
  framesIn: number;
  errors: string[];
  /** CPU (user + system) the role process spent over `ms`: its one thread is the sync's critical path. */
  cpuMs: number;
}

export interface LimitReport {
  kind: 'limitDone';
  ms: number;
  bytes: number;
  frames: number;
  entities: number;
  digestFromServer: string;
  peak: MemoryPeak;
  /** CPU (user + system) the decode-only client spent over `ms`. */
  cpuMs: number;
}

/** The replay process: the server's generation timed with no socket, and where its recording is replayed. */
export interface RecordedReport {
  kind: 'recorded';
  /** syncRequest in -> syncEnd out, in memory. */
  ms: number;
  entities: number;
  bytes: number;
  frames: number;
  /** CPU (user + system) the generation took (one thread, no socket). */
  cpuMs: number;
  host: string;
  port: number;
}

export interface LiveSentReport {
  kind: 'liveSent';
  sent: number;
  alarms: number;
  events: number;
  /** performance.timeOrigin + performance.now() when the first message was raised. */
  startedAt: number;
  endedAt: number;
  seq: number;
}

export interface LiveReceivedReport {
  kind: 'liveReceived';
  alarms: number;
  events: number;
  nativeEvents: number;
  /** When the expected count was first reached (absolute ms, see LiveSentReport). */
  doneAt: number | null;
  lastSeq: number;
  /** Occurrence ids unique among the monitor's retained entries; event ids among the log's. */
  uniqueAlarms: boolean;
  uniqueEvents: boolean;
}

/** The decode-only client synced (it is live): the parent starts the pump. */
export interface LiveLimitReadyReport {
  kind: 'liveLimitReady';
}

/** The decode-only client's side of the live stream: what it decoded and acknowledged. */
export interface LiveLimitReport {
  kind: 'liveLimitDone';
  /** Alarms and events decoded (live messages other than changes). */
  received: number;
  /** When `count` was reached (absolute ms, see LiveSentReport); null if it never was. */
  doneAt: number | null;
  lastSeq: number;
}

export interface ServerStatsReport {
  kind: 'stats';
  seq: number;
  bytesOut: number;
  ackedSeq: number;
  peak: MemoryPeak;
}

export type ChildMessage =
  | { kind: 'listening'; host: string; port: number; /** The diagnostic page's address (diagnosticsServerProcess). */ diagnostics?: string }
  | { kind: 'progress'; done: number; total: number }
  | SyncedReport
  | LimitReport
  | RecordedReport
  | LiveSentReport
  | LiveReceivedReport
  | LiveLimitReadyReport
  | LiveLimitReport
  | ServerStatsReport
  | { kind: 'stopped'; peak: MemoryPeak }
  | { kind: 'failed'; message: string };

/** Absolute time in ms with sub-ms resolution, comparable across processes on one machine. */
export const nowAbs = (): number => performance.timeOrigin + performance.now();

/** Sends to the parent; a no-op when the parent is gone. */
export function toParent(m: ChildMessage): void {
  if (process.send && process.connected) process.send(m);
}

/** Runs a child's command loop: one handler per command, failures reported, never thrown. */
export function serveCommands(handle: (c: ParentCommand) => Promise<void> | void): void {
  process.on('message', (raw) => {
    const c = raw as ParentCommand;
    Promise.resolve()
      .then(() => handle(c))
      .catch((e: unknown) => toParent({ kind: 'failed', message: e instanceof Error ? e.message : String(e) }));
  });
}

/** Leaves the IPC channel so the process exits once its work is done. */
export function leave(): void {
  if (process.connected) process.disconnect();
}
