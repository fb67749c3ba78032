import os from 'node:os';
import { SIPASS_TYPES, type SiPassType } from '../protocol/sipassTypes.js';
import { Child } from './child.js';
import { evaluateGoals, type GoalResult } from './goals.js';
import type { LimitReport, LiveReceivedReport, LiveSentReport, RecordedReport } from './ipc.js';
import { mixFor, populationFor } from './mix.js';
import { median, scalingExponent } from './stats.js';

export interface BenchOptions {
  /** Site sizes (entities), any order; measured smallest first. */
  sizes: number[];
  /** Repetitions per size; the median is reported. Default 3. */
  reps?: number;
  /** Live-stream messages after ready; 0 skips the live stream. Default: defaultLiveCount(sizes). */
  live?: number;
  seed?: number;
  /** Extra node flags for the role processes, e.g. ['--cpu-prof', '--cpu-prof-dir=prof']. */
  roleExecArgv?: string[];
  /** Extra node flags for the server processes. */
  serverExecArgv?: string[];
  onProgress?: (p: BenchProgress) => void;
}

export interface BenchProgress {
  phase: 'server' | 'generate' | 'floor' | 'limit' | 'sync' | 'live' | 'done';
  size: number;
  rep: number;
  reps: number;
  /** Entities (sync) so far and expected, when known. */
  done?: number;
  total?: number;
}

/** One repetition at one size. */
export interface RepResult {
  syncMs: number;
  limitMs: number;
  /** The decode-only client against the recorded bytes replayed from memory. */
  floorMs: number;
  /** Bytes the role received for the sync (welcome to activeAlarms). */
  bytes: number;
  /** Bytes the limit decoded (welcome to syncEnd). */
  limitBytes: number;
  entities: number;
  limitEntities: number;
  floorEntities: number;
  digestOk: boolean;
  rolePeakRss: number;
  rolePeakHeap: number;
  errors: string[];
  /** CPU (user + system) of the role process over its sync, and of the decode-only client over the limit and the floor. */
  roleCpuMs: number;
  limitCpuMs: number;
  floorCpuMs: number;
}

/**
 * Where the limit's time goes, measured in the same run: the server's own
 * generation (no socket), the wire-and-decode floor (its bytes replayed from
 * memory to the same decode-only client), the limit (live server -> that
 * client) and the role. Server and client are separate processes, so the
 * limit is about the slower of generation and floor: that one bounds it.
 */
export interface Breakdown {
  generateMs: number;
  /** Entities per second the server generates, encodes and frames with no socket. */
  generatePerSec: number;
  floorMs: number;
  floorPerSec: number;
  limitMs: number;
  roleMs: number;
  /** generate / limit, floor / limit: near 1 for the one that bounds the limit. */
  generateShare: number;
  floorShare: number;
  /** role / floor: the role against wire + decode alone. */
  roleVsFloor: number;
  bound: 'server generation' | 'wire + decode';
  /**
   * CPU (user + system, medians; generation from the one recording). The role decodes and stores on
   * one thread, so its sync cannot take less wall time than its CPU minus what its GC helper threads
   * did: roleCpuVsLimit is about the lowest ratio this role can reach however fast the wire is.
   */
  generateCpuMs: number;
  floorCpuMs: number;
  limitCpuMs: number;
  roleCpuMs: number;
  /** role CPU / role wall: near 1 when the role is busy the whole sync (CPU-bound), lower when it waits. */
  roleBusy: number;
  roleCpuVsLimit: number;
}

/** One size: medians over its repetitions. */
export interface SizeResult {
  size: number;
  mix: Record<SiPassType, number>;
  reps: RepResult[];
  syncMs: number;
  limitMs: number;
  /** sync time / limit time: what the Security Center model costs on top of wire + decode. */
  ratio: number;
  /** The breakdown of the limit (issue 14). */
  breakdown: Breakdown;
  entitiesPerSec: number;
  limitEntitiesPerSec: number;
  bytes: number;
  rolePeakRss: number;
  rolePeakHeap: number;
  serverPeakRss: number;
  /** Every repetition synced exactly `size` entities with matching digests. */
  complete: boolean;
}

export interface LiveResult {
  requested: number;
  sent: number;
  alarms: number;
  events: number;
  received: number;
  lost: number;
  doubled: number;
  ms: number;
  perSec: number;
  lastSeqMatch: boolean;
  siteSize: number;
  /** The same stream to a decode-only client (bench/liveLimit.ts): its messages/s, and what it decoded. */
  limitPerSec: number;
  limitReceived: number;
  /** perSec / limitPerSec: the role against the wire and decoder alone (issue 14 item 5: >= 0.7). */
  ratio: number;
  ok: boolean;
}

export interface BenchReport {
  tool: 'sipass-testbench bench';
  date: string;
  machine: { node: string; platform: string; cpus: number; cpuModel: string; memory: number };
  options: { sizes: number[]; reps: number; live: number; seed: number };
  sizes: SizeResult[];
  /** Slope of log(sync time) over log(size) between the two largest sizes. */
  scaling: { from: number; to: number; exponent: number } | null;
  live: LiveResult | null;
  goals: GoalResult[];
}

// The role's heap: room for 10M entities (~3.5 GB) and V8's default young generation (16 MiB
// semi-spaces). A 64 MiB one paid off while the store grew an array per entity (1M sync/limit
// 2.33x -> 2.19x); with the compact store it costs ~95 MiB of RSS and no time (measured in process
// at 1M, decode + store of the bench's recording: 7.2 s CPU and 676 MiB RSS with 64 MiB, 6.4 s
// and 581 MiB with 16 MiB; docs/performance.md).
const ROLE_FLAGS = ['--max-old-space-size=6144', '--max-semi-space-size=16'];
const syncTimeout = (size: number): number => 120_000 + size * 0.5;

/**
 * The live stream's default length: ten messages per entity of the largest
 * site, between 10k and 1M. A 1M-message stream takes ~20 s, which made
 * `--sizes 10k` take 39 s (issue 14); the default sizes still get 1M.
 */
export function defaultLiveCount(sizes: readonly number[]): number {
  return Math.min(1_000_000, Math.max(10_000, 10 * Math.max(0, ...sizes)));
}

/** The live stream's site: the smallest size, at most 100k (a --sizes 10M run would sync 10M twice more to start streaming). */
export function liveSiteSize(sizes: readonly number[]): number {
  return Math.min(100_000, ...sizes);
}

/** Runs the whole bench: per size a server process, then per repetition a limit and a role process. */
export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const sizes = [...new Set(options.sizes)].sort((a, b) => a - b);
  if (sizes.length === 0) throw new RangeError('the bench needs at least one size');
  for (const s of sizes) mixFor(s);
  const reps = Math.max(1, Math.floor(options.reps ?? 3));
  const live = Math.max(0, Math.floor(options.live ?? defaultLiveCount(sizes)));
  const seed = options.seed ?? 1;
  const progress = options.onProgress ?? (() => undefined);
  const roleFlags = [...ROLE_FLAGS, ...(options.roleExecArgv ?? [])];
  const serverFlags = options.serverExecArgv ?? [];

  const results: SizeResult[] = [];
  for (const size of sizes) results.push(await benchSize(size, reps, seed, roleFlags, serverFlags, progress));
  const [a, b] = results.slice(-2);
  const scaling = a && b && results.length >= 2 ? { from: a.size, to: b.size, exponent: scalingExponent(a.size, a.syncMs, b.size, b.syncMs) } : null;
  const liveResult = live > 0 ? await benchLive(liveSiteSize(sizes), live, seed, roleFlags, serverFlags, progress) : null;
  progress({ phase: 'done', size: sizes[sizes.length - 1] as number, rep: reps, reps });
  const cpus = os.cpus();
  const report: Omit<BenchReport, 'goals'> = {
    tool: 'sipass-testbench bench',
    date: new Date().toISOString(),
    machine: { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: cpus.length, cpuModel: cpus[0]?.model.trim() ?? '?', memory: os.totalmem() },
    options: { sizes, reps, live, seed },
    sizes: results,
    scaling,
    live: liveResult,
  };
  return { ...report, goals: evaluateGoals(report) };
}

async function startServer(size: number, seed: number, flags: string[]): Promise<{ server: Child; host: string; port: number }> {
  const server = new Child('serverProcess', flags);
  try {
    const { host, port } = await server.ask({ cmd: 'start', population: populationFor(size, seed) }, 'listening', 30_000);
    return { server, host, port };
  } catch (e) {
    server.kill();
    throw e;
  }
}

/** The decode-only client (the limit process) against a server at host:port; it exits after its one job. */
async function decodeOnly(host: string, port: number, size: number): Promise<LimitReport> {
  const child = new Child('limitProcess');
  try {
    return await child.ask({ cmd: 'limit', host, port, types: [...SIPASS_TYPES], timeoutMs: syncTimeout(size) }, 'limitDone', syncTimeout(size) + 10_000);
  } catch (e) {
    child.kill();
    throw e;
  } finally {
    await child.exited;
  }
}

async function benchSize(size: number, reps: number, seed: number, roleFlags: string[], serverFlags: string[], progress: (p: BenchProgress) => void): Promise<SizeResult> {
  progress({ phase: 'generate', size, rep: 0, reps });
  const replay = new Child('replayProcess', serverFlags);
  let recorded: RecordedReport;
  try {
    recorded = await replay.ask({ cmd: 'record', population: populationFor(size, seed) }, 'recorded', syncTimeout(size));
  } catch (e) {
    replay.kill();
    throw e;
  }
  progress({ phase: 'server', size, rep: 0, reps });
  let started: Awaited<ReturnType<typeof startServer>>;
  try {
    started = await startServer(size, seed, serverFlags);
  } catch (e) {
    await replay.stop();
    throw e;
  }
  const { server, host: serverHost, port: serverPort } = started;
  const runs: RepResult[] = [];
  let serverStop: Awaited<ReturnType<Child['stop']>>;
  try {
    for (let rep = 1; rep <= reps; rep++) {
      progress({ phase: 'floor', size, rep, reps });
      const floor = await decodeOnly(recorded.host, recorded.port, size);
      progress({ phase: 'limit', size, rep, reps });
      const limit = await decodeOnly(serverHost, serverPort, size);

      progress({ phase: 'sync', size, rep, reps, done: 0, total: size });
      const role = new Child('roleProcess', roleFlags, (done, total) => progress({ phase: 'sync', size, rep, reps, done, total }));
      try {
        const synced = await role.ask({ cmd: 'sync', host: serverHost, port: serverPort, timeoutMs: syncTimeout(size) }, 'synced', syncTimeout(size) + 10_000);
        const stopped = await role.stop();
        runs.push({
          syncMs: synced.ms,
          limitMs: limit.ms,
          floorMs: floor.ms,
          bytes: synced.bytesIn,
          limitBytes: limit.bytes,
          entities: synced.entities,
          limitEntities: limit.entities,
          floorEntities: floor.entities,
          digestOk: synced.digest === synced.serverDigest && synced.serverDigest === limit.digestFromServer && floor.digestFromServer === limit.digestFromServer,
          rolePeakRss: stopped?.peak.rss ?? Number.NaN,
          rolePeakHeap: stopped?.peak.heapUsed ?? Number.NaN,
          errors: synced.errors,
          roleCpuMs: synced.cpuMs,
          limitCpuMs: limit.cpuMs,
          floorCpuMs: floor.cpuMs,
        });
      } finally {
        role.kill();
      }
    }
  } finally {
    serverStop = await server.stop();
    await replay.stop();
  }
  const syncMs = median(runs.map((r) => r.syncMs));
  const limitMs = median(runs.map((r) => r.limitMs));
  const floorMs = median(runs.map((r) => r.floorMs));
  return {
    size,
    mix: mixFor(size),
    reps: runs,
    syncMs,
    limitMs,
    ratio: syncMs / limitMs,
    entitiesPerSec: (size / syncMs) * 1000,
    limitEntitiesPerSec: (size / limitMs) * 1000,
    bytes: median(runs.map((r) => r.bytes)),
    rolePeakRss: median(runs.map((r) => r.rolePeakRss)),
    rolePeakHeap: median(runs.map((r) => r.rolePeakHeap)),
    serverPeakRss: serverStop?.peak.rss ?? Number.NaN,
    breakdown: breakdownOf(recorded, floorMs, limitMs, syncMs, size, {
      floorCpuMs: median(runs.map((r) => r.floorCpuMs)),
      limitCpuMs: median(runs.map((r) => r.limitCpuMs)),
      roleCpuMs: median(runs.map((r) => r.roleCpuMs)),
    }),
    complete: runs.every((r) => r.entities === size && r.limitEntities === size && r.floorEntities === size && r.digestOk && r.errors.length === 0),
  };
}

function breakdownOf(
  recorded: RecordedReport,
  floorMs: number,
  limitMs: number,
  roleMs: number,
  size: number,
  cpu: { floorCpuMs: number; limitCpuMs: number; roleCpuMs: number },
): Breakdown {
  const generateMs = recorded.ms;
  return {
    generateMs,
    generatePerSec: (size / generateMs) * 1000,
    floorMs,
    floorPerSec: (size / floorMs) * 1000,
    limitMs,
    roleMs,
    generateShare: generateMs / limitMs,
    floorShare: floorMs / limitMs,
    roleVsFloor: roleMs / floorMs,
    bound: generateMs >= floorMs ? 'server generation' : 'wire + decode',
    generateCpuMs: recorded.cpuMs,
    ...cpu,
    roleBusy: cpu.roleCpuMs / roleMs,
    roleCpuVsLimit: cpu.roleCpuMs / limitMs,
  };
}

/**
 * The same live stream to a decode-only client: a fresh server of the same site, the client
 * synced, then `count` alarms and events pumped with the same window, acknowledged as the role does.
 */
async function liveLimit(size: number, count: number, seed: number, serverFlags: string[]): Promise<{ perSec: number; received: number }> {
  const { server, host, port } = await startServer(size, seed, serverFlags);
  const client = new Child('limitProcess');
  try {
    const budget = 60_000 + count;
    client.send({ cmd: 'liveLimit', host, port, count, timeoutMs: syncTimeout(size) + budget });
    await client.next('liveLimitReady', syncTimeout(size));
    const sent: LiveSentReport = await server.ask({ cmd: 'live', count, window: LIVE_WINDOW }, 'liveSent', budget);
    const got = await client.next('liveLimitDone', budget);
    const ms = got.doneAt === null ? Number.NaN : got.doneAt - sent.startedAt;
    return { perSec: (sent.sent / ms) * 1000, received: got.received };
  } catch (e) {
    client.kill();
    throw e;
  } finally {
    await client.exited;
    await server.stop();
  }
}

/** Messages in flight the server's pump allows ahead of the client's acks. */
const LIVE_WINDOW = 50_000;

/** Alarms and events after ready, as fast as the role takes them, counted on both sides; then the decode-only client's rate. */
async function benchLive(size: number, count: number, seed: number, roleFlags: string[], serverFlags: string[], progress: (p: BenchProgress) => void): Promise<LiveResult> {
  progress({ phase: 'live', size, rep: 1, reps: 1, done: 0, total: count });
  const limit = await liveLimit(size, count, seed, serverFlags);
  const { server, host, port } = await startServer(size, seed, serverFlags);
  const role = new Child('roleProcess', roleFlags);
  try {
    await role.ask({ cmd: 'sync', host, port, timeoutMs: syncTimeout(size) }, 'synced', syncTimeout(size) + 10_000);
    const budget = 60_000 + count; // a millisecond per message is 1,000 msg/s: far below any goal
    role.send({ cmd: 'expectLive', count, timeoutMs: 15_000 });
    const sent: LiveSentReport = await server.ask({ cmd: 'live', count, window: LIVE_WINDOW }, 'liveSent', budget);
    progress({ phase: 'live', size, rep: 1, reps: 1, done: count, total: count });
    const got: LiveReceivedReport = await role.next('liveReceived', budget);
    const stats = await server.ask({ cmd: 'stats' }, 'stats', 10_000);
    const received = got.alarms + got.events;
    const ms = got.doneAt === null ? Number.NaN : got.doneAt - sent.startedAt;
    const lost = Math.max(0, sent.sent - received);
    const doubled = Math.max(0, received - sent.sent) + (got.uniqueAlarms && got.uniqueEvents ? 0 : 1) + got.nativeEvents;
    const lastSeqMatch = got.lastSeq === stats.seq;
    return {
      requested: count,
      sent: sent.sent,
      alarms: got.alarms,
      events: got.events,
      received,
      lost,
      doubled,
      ms,
      perSec: (sent.sent / ms) * 1000,
      lastSeqMatch,
      siteSize: size,
      limitPerSec: limit.perSec,
      limitReceived: limit.received,
      ratio: (sent.sent / ms) * 1000 / limit.perSec,
      ok: lost === 0 && doubled === 0 && lastSeqMatch && sent.alarms === got.alarms && sent.events === got.events,
    };
  } finally {
    await role.stop();
    await server.stop();
  }
}
