/**
 * `npm run load`: N plugin roles (default 200) full-sync one fake SiPass server
 * at once, over loopback TCP (issue 11 item 7; not part of `npm test`).
 *
 *   npm run load -- [--roles 200] [--workers 2] [--entities 10000] [--ready-within 300s] [--json FILE]
 *
 * The server is the real `serve` command in a process of its own
 * (test/load/loadServer.ts), so its CPU seconds and peak RSS are its own; the
 * roles are spread over worker threads (test/load/roleWorker.ts), so one
 * client event loop is not the bottleneck; every role is told "go" in the
 * same instant. Reports time to all-ready, connections lost (connect timeouts:
 * the goal is none), server CPU and peak RSS, both sides' event-loop delays,
 * and the digests. Exit 0 when every check holds, 1 otherwise, 2 on bad
 * arguments. Bounded: at most 5,000 roles and 1,000,000 entities, and a
 * deadline for `ready` (then the run fails, naming the roles not ready).
 *
 * The checks (formerly test/load/fiftyRoles.test.ts, at 50 roles, in `npm test`):
 * every role ready, none lost a connection, every role's digest and the digest
 * the server told it equal the site's, every role holds every entity of every
 * type, the server streams the site (its live heap grows per role by well
 * under a materialised population), keeps nothing per session once the syncs
 * are done, and the roles' memory is released when they stop.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { parseDuration } from '../../core/duration.js';
import { SIPASS_TYPES, type SiPassRecord, type SiPassType } from '../../protocol/sipassTypes.js';
import { SiteDigest } from '../../protocol/siteDigest.js';
import type { PopulationSpec } from '../../simulator/populationSpec.js';
import { Site } from '../../simulator/site.js';
import type { LoadServerStats, ToLoadServer } from './loadServer.js';
import type { ConnectionTrace, FromRoleWorker, RoleOutcome, RoleWorkerData, ToRoleWorker } from './roleWorker.js';
import { settledHeap } from './settledHeap.js';

const MAX_ROLES = 5_000;
const MAX_ENTITIES = 1_000_000;

/** The 10,000-entity mix of the old 50-role test, over every SiPass type; --entities scales it. */
const MIX: Record<SiPassType, number> = {
  alarmClasses: 20,
  cardholders: 5_000,
  credentials: 2_000,
  workgroups: 100,
  doorsets: 1_200,
  banks: 30,
  apbAreas: 150,
  areas: 200,
  units: 1_250,
  eventTypes: 50,
};

export interface LoadOptions {
  roles: number;
  workers: number;
  entities: number;
  readyWithinMs: number;
  json?: string;
}

class LoadUsageError extends Error {}

function wholeNumber(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const v = Number(raw.replace(/[_,]/g, '').replace(/k$/i, '000'));
  if (!Number.isSafeInteger(v) || v < min || v > max) throw new LoadUsageError(`--${name} must be a whole number from ${min} to ${max.toLocaleString('en')}, got ${JSON.stringify(raw)}`);
  return v;
}

export function parseLoadOptions(argv: string[]): LoadOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      roles: { type: 'string' },
      workers: { type: 'string' },
      entities: { type: 'string' },
      'ready-within': { type: 'string' },
      json: { type: 'string' },
    },
    strict: true,
  });
  const roles = wholeNumber('roles', values.roles, 200, 1, MAX_ROLES);
  const workers = wholeNumber('workers', values.workers, Math.max(1, Math.min(4, os.availableParallelism())), 1, 64);
  const entities = wholeNumber('entities', values.entities, 10_000, SIPASS_TYPES.length, MAX_ENTITIES);
  let readyWithinMs = 300_000;
  if (values['ready-within'] !== undefined) {
    try {
      readyWithinMs = parseDuration(values['ready-within']);
    } catch (e) {
      throw new LoadUsageError(`--ready-within: ${(e as Error).message}`);
    }
  }
  return { roles, workers: Math.min(workers, roles), entities, readyWithinMs, ...(values.json !== undefined ? { json: values.json } : {}) };
}

/** The mix scaled to `entities` (every type at least 1), seeded: the same site every run. */
export function loadPopulation(entities: number): PopulationSpec & Record<SiPassType, number> {
  const total = SIPASS_TYPES.reduce((n, t) => n + MIX[t], 0);
  const counts = Object.fromEntries(SIPASS_TYPES.map((t) => [t, Math.max(1, Math.floor((MIX[t] * entities) / total))])) as Record<SiPassType, number>;
  // Whatever rounding left goes to the cardholders, so the site has exactly `entities`.
  counts.cardholders += entities - SIPASS_TYPES.reduce((n, t) => n + counts[t], 0);
  return { seed: 4242, name: 'Load site', ...counts };
}


/** The digest of the site the server serves, and the heap a materialised copy of it takes (what streaming avoids). */
function siteFacts(population: PopulationSpec): { digest: string; total: number; materialisedBytes: number } {
  const site = new Site(population);
  const before = settledHeap();
  let held: SiPassRecord[] | undefined = SIPASS_TYPES.flatMap((type) => [...site.entities(type)]);
  const total = held.length;
  const materialisedBytes = settledHeap() - before;
  held = undefined;
  const digest = new SiteDigest();
  for (const type of SIPASS_TYPES) for (const r of site.entities(type)) digest.add(type, r);
  return { digest: digest.toString(), total, materialisedBytes };
}

const here = path.dirname(new URL(import.meta.url).pathname);
const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/** Messages from a worker or the server, awaited by kind, with a deadline. */
class Inbox<M extends { kind: string }> {
  private readonly queue: M[] = [];
  private wake: (() => void) | undefined;
  private failure: Error | undefined;

  push(m: M): void {
    this.queue.push(m);
    this.wake?.();
  }

  fail(e: Error): void {
    this.failure ??= e;
    this.wake?.();
  }

  async next<K extends M['kind']>(kind: K, timeoutMs: number, what: string): Promise<Extract<M, { kind: K }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.queue.findIndex((m) => m.kind === kind || m.kind === 'failed');
      if (i >= 0) {
        const [m] = this.queue.splice(i, 1);
        if (m?.kind === 'failed') throw new Error(`${what} failed: ${(m as unknown as { message: string }).message}`);
        return m as Extract<M, { kind: K }>;
      }
      if (this.failure) throw this.failure;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${what} sent no "${kind}" within ${Math.round(timeoutMs / 1000)} s`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }
}

/** `serve` in its own process, its log parsed as it comes. */
class ServerProcess {
  readonly child: ChildProcess;
  readonly inbox = new Inbox<LoadServerStats | { kind: 'failed'; message: string }>();
  readonly log: string[] = [];
  connections = 0;
  /** Every accept the server logged: when (its log's wall clock) and the peer's port. */
  readonly accepts: Array<{ at: number; port: number }> = [];
  closed = 0;
  readonly closeReasons = new Map<string, number>();
  readonly exited: Promise<number | null>;
  private listening: Promise<number>;

  constructor(siteFile: string) {
    this.child = fork(path.join(here, `loadServer${ext}`), ['--scenario', siteFile, '--host', '127.0.0.1', '--port', '0'], {
      execArgv: [...process.execArgv, '--expose-gc'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child.on('message', (m: LoadServerStats) => this.inbox.push(m));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    let buffered = '';
    let resolvePort: (port: number) => void = () => undefined;
    let rejectPort: (e: Error) => void = () => undefined;
    this.listening = new Promise((resolve, reject) => {
      resolvePort = resolve;
      rejectPort = reject;
    });
    let port: number | undefined;
    this.child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      buffered += text;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (this.log.length < 20_000) this.log.push(line);
        const listening = /listening on 127\.0\.0\.1:(\d+)/.exec(line);
        if (listening) port = Number(listening[1]);
        if (/^site ".*entities/.test(line) && port !== undefined) resolvePort(port);
        const accepted = / connection \d+ from .*:(\d+)$/.exec(line);
        if (accepted) {
          this.connections++;
          const at = logTime(line);
          if (at !== undefined) this.accepts.push({ at, port: Number(accepted[1]) });
        }
        const closed = / connection \d+ closed: (.*)$/.exec(line);
        if (closed) {
          this.closed++;
          const reason = (closed[1] ?? '').replace(/\d+/g, 'N');
          this.closeReasons.set(reason, (this.closeReasons.get(reason) ?? 0) + 1);
        }
      }
    });
    let stderr = '';
    this.child.stderr?.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    void this.exited.then((code) => {
      const e = new Error(`the server exited (code ${code}) ${stderr.trim() ? `: ${stderr.trim().split('\n').slice(0, 5).join(' | ')}` : ''}`);
      rejectPort(e);
      this.inbox.fail(e);
    });
  }

  port(): Promise<number> {
    return this.listening;
  }

  ask(cmd: ToLoadServer): Promise<LoadServerStats> {
    this.child.send(cmd);
    return this.inbox.next('stats', 60_000, 'the server');
  }

  async stop(): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill('SIGINT');
    return this.exited;
  }
}

/** The wall time (ms since the epoch) of a serve log line's `HH:MM:SS.mmm` (UTC) prefix, taken as the latest such instant not after now. */
export function logTime(line: string, now = Date.now()): number | undefined {
  const m = /^(\d\d):(\d\d):(\d\d)\.(\d{3}) /.exec(line);
  if (!m) return undefined;
  const day = 86_400_000;
  const ofDay = ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 + Number(m[4]);
  const at = now - (now % day) + ofDay;
  return at > now + 60_000 ? at - day : at;
}

/** Where the handshakes spent their time (ms): a figure per stretch, over every traced connection. */
export interface HandshakeFigures {
  traced: number;
  /** From the role's dial to its loop seeing the TCP connect (its handshake timer starts there). */
  dialToConnect: Spread;
  /** From the role's loop seeing the connect to the server's accept (the server's listen queue). */
  connectToAccept: Spread;
  /** From the server's accept to the role's loop reading the first byte (the welcome). */
  acceptToFirstByte: Spread;
  /** Connect timeouts whose connection the server had not yet accepted 5 s after the role's connect (or never did). */
  timeoutsServerLate: number;
  /** Connect timeouts the server had accepted within 5 s (its welcome then goes out at once): the role did not read it in time. */
  timeoutsRoleLate: number;
  /** Handshakes whose welcome the role read 5 s or more after its connect and still opened: the deadline expired while the welcome sat unread, and the deferred verdict (Clock.afterPendingIo) counted it. */
  readLateButArrived: number;
}

export interface Spread {
  median: number;
  p95: number;
  max: number;
}

const spread = (values: number[]): Spread => {
  const v = [...values].sort((a, b) => a - b);
  return { median: quantile(v, 0.5), p95: quantile(v, 0.95), max: v.at(-1) ?? Number.NaN };
};

/** Matches each traced connection to the server's accept of its port (the first at or after the dial) and splits its time. */
export function handshakeFigures(attempts: ConnectionTrace[], accepts: Array<{ at: number; port: number }>, handshakeTimeoutMs = 5_000): HandshakeFigures {
  const byPort = new Map<number, number[]>();
  for (const a of accepts) byPort.set(a.port, [...(byPort.get(a.port) ?? []), a.at]);
  const dialToConnect: number[] = [];
  const connectToAccept: number[] = [];
  const acceptToFirstByte: number[] = [];
  let serverLate = 0;
  let roleLate = 0;
  let readLate = 0;
  let traced = 0;
  for (const t of attempts) {
    if (t.connectAt === undefined || t.localPort === undefined) continue;
    traced++;
    dialToConnect.push(t.connectAt - t.dialAt);
    // The log has whole milliseconds and the threads' clocks agree to about one: allow 5 ms of skew.
    const acceptAt = (byPort.get(t.localPort) ?? []).find((at) => at >= t.dialAt - 5);
    if (acceptAt !== undefined) connectToAccept.push(acceptAt - t.connectAt);
    if (acceptAt !== undefined && t.firstByteAt !== undefined) acceptToFirstByte.push(t.firstByteAt - acceptAt);
    if (t.code !== 'ROLE_CONNECT_TIMEOUT' && t.firstByteAt !== undefined && t.firstByteAt - t.connectAt >= handshakeTimeoutMs) readLate++;
    if (t.code === 'ROLE_CONNECT_TIMEOUT') {
      if (acceptAt === undefined || acceptAt - t.connectAt >= handshakeTimeoutMs) serverLate++;
      else roleLate++;
    }
  }
  return { traced, dialToConnect: spread(dialToConnect), connectToAccept: spread(connectToAccept), acceptToFirstByte: spread(acceptToFirstByte), timeoutsServerLate: serverLate, timeoutsRoleLate: roleLate, readLateButArrived: readLate };
}

/**
 * Asks the server for a live-heap sample (a forced full GC) every 2 s while the syncs stream,
 * starting once it has accepted every role (or 10 s after "go", if some never connect): a forced
 * GC in the middle of the accept burst stalled the server for up to a second on a loaded machine,
 * delaying the very accepts the run measures.
 */
function sampleServerHeap(server: ServerProcess, roles: number): { stop(): void } {
  const started = Date.now();
  let every: NodeJS.Timeout | undefined;
  const sample = (): void => {
    if (server.child.connected) server.child.send({ cmd: 'sample' } satisfies ToLoadServer);
  };
  const waiting = setInterval(() => {
    if (server.connections < roles && Date.now() - started < 10_000) return;
    clearInterval(waiting);
    sample();
    every = setInterval(sample, 2_000);
  }, 20);
  return {
    stop: () => {
      clearInterval(waiting);
      clearInterval(every);
    },
  };
}

class RoleWorkerThread {
  readonly worker: Worker;
  readonly inbox = new Inbox<FromRoleWorker>();

  constructor(data: RoleWorkerData) {
    this.worker = new Worker(path.join(here, `roleWorker${ext}`), { workerData: data });
    this.worker.on('message', (m: FromRoleWorker) => this.inbox.push(m));
    this.worker.on('error', (e) => this.inbox.fail(e));
  }

  tell(m: ToRoleWorker): void {
    this.worker.postMessage(m);
  }
}

export interface LoadResult {
  options: LoadOptions;
  entities: number;
  siteDigest: string;
  allReadyMs: number;
  firstReadyMs: number;
  medianReadyMs: number;
  p95ReadyMs: number;
  rolesReady: number;
  connectTimeouts: number;
  handshakes: HandshakeFigures;
  lostConnections: string[];
  digestsMatching: number;
  wrongCounts: string[];
  serverConnections: number;
  serverCloseReasons: Record<string, number>;
  serverCpuSeconds: number;
  serverPeakRss: number;
  serverRssAtStart: number;
  serverLoopDelayMaxMs: number;
  serverLoopDelayP99Ms: number;
  serverLiveGrowthPerRole: number;
  serverHeapAfterSyncs: number;
  materialisedBytes: number;
  clientCpuSeconds: number;
  clientLoopDelayMaxMs: number;
  clientLoopDelayP99Ms: number;
  rolesRetained: number;
  rolesLeftAfterStop: number;
  checks: Array<{ ok: boolean; what: string }>;
}

const MiB = 1024 * 1024;
const mib = (n: number): string => (Math.abs(n) < MiB ? `${(n / 1024).toFixed(0)} KiB` : `${(n / MiB).toFixed(1)} MiB`);
const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const spreadText = (x: Spread): string => `median ${x.median} ms, p95 ${x.p95} ms, max ${x.max} ms`;
const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;

export async function runLoad(options: LoadOptions, log: (line: string) => void = console.log): Promise<LoadResult> {
  const population = loadPopulation(options.entities);
  const site = siteFacts(population);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sipass-load-'));
  const siteFile = path.join(dir, 'load-site.yaml');
  writeFileSync(siteFile, `# npm run load: the site every role syncs\npopulation:\n${Object.entries(population).map(([k, v]) => `  ${k}: ${typeof v === 'string' ? JSON.stringify(v) : v}`).join('\n')}\n`);

  const server = new ServerProcess(siteFile);
  const workers: RoleWorkerThread[] = [];
  try {
    const port = await server.port();
    const baseline = await server.ask({ cmd: 'baseline' });
    log(`load: ${options.roles} roles in ${options.workers} worker thread(s) against one server (pid ${server.child.pid}, port ${port}), ${site.total.toLocaleString('en')} entities each`);

    const per = Math.floor(options.roles / options.workers);
    let first = 0;
    for (let w = 0; w < options.workers; w++) {
      const count = per + (w < options.roles % options.workers ? 1 : 0);
      workers.push(new RoleWorkerThread({ first, count, host: '127.0.0.1', port, readyWithinMs: options.readyWithinMs }));
      first += count;
    }
    await Promise.all(workers.map((w) => w.inbox.next('created', 120_000, 'a role worker')));

    const cpu0 = process.cpuUsage();
    for (const w of workers) w.tell({ cmd: 'go' });
    const sampling = sampleServerHeap(server, options.roles);
    const ready = await Promise.all(workers.map((w) => w.inbox.next('ready', options.readyWithinMs + 60_000, 'a role worker'))).finally(() => sampling.stop());
    const cpu1 = process.cpuUsage(cpu0);
    const atReady = await server.ask({ cmd: 'stats' });

    for (const w of workers) w.tell({ cmd: 'stop' });
    const stopped = await Promise.all(workers.map((w) => w.inbox.next('stopped', 60_000, 'a role worker')));
    // Every role hung up: wait (bounded) until the server has closed every session before measuring what it keeps.
    for (let i = 0; i < 100 && server.closed < server.connections; i++) await new Promise((r) => setTimeout(r, 50));
    const afterStop = await server.ask({ cmd: 'stats' });

    const roles: RoleOutcome[] = ready.flatMap((r) => r.roles);
    const readyTimes = roles.filter((r) => r.ready).map((r) => r.readyMs).sort((a, b) => a - b);
    const lostConnections = roles.flatMap((r) => r.lost.map((l) => `${r.name}: ${l}`));
    const wrongCounts = roles.flatMap((r) => SIPASS_TYPES.filter((t) => r.counts[t] !== population[t]).map((t) => `${r.name}: ${t} ${r.counts[t] ?? 0} of ${population[t]}`));
    const liveGrowth = Math.max(0, atReady.livePeak - atReady.heapBaseline);
    const rolesRetained = stopped.reduce((n, x) => n + x.heapRetained, 0);
    const rolesLeft = stopped.reduce((n, x) => n + x.heapAfterStop, 0);
    const result: LoadResult = {
      options,
      entities: site.total,
      siteDigest: site.digest,
      allReadyMs: readyTimes.length === roles.length ? (readyTimes.at(-1) ?? 0) : Number.NaN,
      firstReadyMs: readyTimes[0] ?? Number.NaN,
      medianReadyMs: quantile(readyTimes, 0.5),
      p95ReadyMs: quantile(readyTimes, 0.95),
      rolesReady: readyTimes.length,
      connectTimeouts: lostConnections.filter((l) => l.includes('ROLE_CONNECT_TIMEOUT')).length,
      handshakes: handshakeFigures(
        roles.flatMap((r) => r.attempts),
        server.accepts,
      ),
      lostConnections,
      digestsMatching: roles.filter((r) => r.digest === site.digest && r.serverDigest === site.digest).length,
      wrongCounts,
      serverConnections: server.connections,
      serverCloseReasons: Object.fromEntries(server.closeReasons),
      serverCpuSeconds: atReady.cpuSinceBaselineUs / 1e6,
      serverPeakRss: atReady.maxRss,
      serverRssAtStart: baseline.rssAtBaseline,
      serverLoopDelayMaxMs: atReady.loopDelayMaxMs,
      serverLoopDelayP99Ms: atReady.loopDelayP99Ms,
      serverLiveGrowthPerRole: liveGrowth / options.roles,
      serverHeapAfterSyncs: afterStop.heapNow - atReady.heapBaseline,
      materialisedBytes: site.materialisedBytes,
      clientCpuSeconds: (cpu1.user + cpu1.system) / 1e6,
      clientLoopDelayMaxMs: Math.max(...ready.map((r) => r.loopDelayMaxMs)),
      clientLoopDelayP99Ms: Math.max(...ready.map((r) => r.loopDelayP99Ms)),
      rolesRetained,
      rolesLeftAfterStop: rolesLeft,
      checks: [],
    };
    const check = (ok: boolean, what: string): void => {
      result.checks.push({ ok, what });
    };
    check(result.rolesReady === options.roles, `every role reached ready (${result.rolesReady} of ${options.roles})`);
    check(result.connectTimeouts === 0, `no connect timeout (${result.connectTimeouts})`);
    check(lostConnections.length === 0, `no connection lost, no error reported (${lostConnections.length})`);
    check(result.digestsMatching === options.roles, `every role's digest, and the digest the server told it, is the site's (${result.digestsMatching} of ${options.roles})`);
    check(wrongCounts.length === 0, `every role holds every entity of every type (${wrongCounts.length} wrong counts)`);
    check(server.connections >= options.roles, `the server served every role (${server.connections} connections)`);
    // The first live sample is taken once every role is accepted: syncs that all end before it leave nothing to judge
    // (a quiet machine, few roles), which is not a failure of the server; any longer run must have samples.
    if (atReady.liveSamples > 0 || !(result.allReadyMs < 400)) {
      check(atReady.liveSamples > 0, `the server's live heap was sampled during the syncs (${atReady.liveSamples} samples)`);
    }
    check(
      result.serverLiveGrowthPerRole < site.materialisedBytes / 4,
      `the server streams the site: live heap growth per role ${mib(result.serverLiveGrowthPerRole)} is well under a materialised site (${mib(site.materialisedBytes)})`,
    );
    // A site of 1,000 entities (226 KiB materialised) is inside the heap's noise: about +0.8 MiB stays
    // after the roles left whatever the site and the number of roles, so the bound is never below 2 MiB.
    check(
      result.serverHeapAfterSyncs < Math.max(site.materialisedBytes, 2 * MiB),
      `the server keeps nothing per session once the syncs are done (+${mib(result.serverHeapAfterSyncs)}; bound: a materialised site, ${mib(site.materialisedBytes)}, or 2 MiB)`,
    );
    check(rolesLeft < rolesRetained / 4, `the roles' memory is released when they stop (${mib(rolesLeft)} left of ${mib(rolesRetained)})`);
    return result;
  } finally {
    await Promise.all(workers.map((w) => w.worker.terminate()));
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatLoad(r: LoadResult, serverLogTail: string[] = []): string[] {
  const reasons = Object.entries(r.serverCloseReasons)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${v} x ${k}`)
    .join('; ');
  const h = r.handshakes;
  return [
    `time to all-ready: ${Number.isNaN(r.allReadyMs) ? 'not all ready' : s(r.allReadyMs)} (first ${s(r.firstReadyMs)}, median ${s(r.medianReadyMs)}, p95 ${s(r.p95ReadyMs)}); ${r.rolesReady} of ${r.options.roles} roles ready`,
    `connect timeouts: ${r.connectTimeouts}; connections lost or errors: ${r.lostConnections.length}${r.lostConnections.length > 0 ? ` (${r.lostConnections.slice(0, 5).join('; ')}${r.lostConnections.length > 5 ? '; ...' : ''})` : ''}`,
    `handshakes (${h.traced} connections): role's dial to its loop seeing the connect ${spreadText(h.dialToConnect)}; to the server's accept ${spreadText(h.connectToAccept)}; accept to the role reading the welcome ${spreadText(h.acceptToFirstByte)}; welcomes read 5 s or more after the connect, yet in time: ${h.readLateButArrived}${r.connectTimeouts > 0 ? `; of the connect timeouts, ${h.timeoutsServerLate} not accepted within 5 s, ${h.timeoutsRoleLate} accepted in time but the welcome not read` : ''}`,
    `digests: ${r.digestsMatching} of ${r.options.roles} roles hold ${r.siteDigest}, the site's digest`,
    `server: ${r.serverCpuSeconds.toFixed(2)} CPU-s from start to all-ready, peak RSS ${mib(r.serverPeakRss)} (${mib(r.serverRssAtStart)} at start), event loop delay max ${r.serverLoopDelayMaxMs.toFixed(0)} ms (p99 ${r.serverLoopDelayP99Ms.toFixed(0)} ms); ${r.serverConnections} connections${reasons ? `, closed: ${reasons}` : ''}`,
    `server heap: live growth ${mib(r.serverLiveGrowthPerRole)} per role (a materialised site: ${mib(r.materialisedBytes)}); after the roles left +${mib(r.serverHeapAfterSyncs)}`,
    `roles: ${r.clientCpuSeconds.toFixed(2)} CPU-s in ${r.options.workers} worker thread(s), event loop delay max ${r.clientLoopDelayMaxMs.toFixed(0)} ms (p99 ${r.clientLoopDelayP99Ms.toFixed(0)} ms); heap held ${mib(r.rolesRetained)} (${mib(r.rolesRetained / r.options.roles)} per role), ${mib(r.rolesLeftAfterStop)} left after stop`,
    ...r.checks.map((c) => `${c.ok ? 'ok' : 'FAILED'}: ${c.what}`),
    ...(r.wrongCounts.length > 0 ? [`wrong counts: ${r.wrongCounts.slice(0, 10).join('; ')}`] : []),
    ...serverLogTail,
  ];
}

async function main(argv: string[]): Promise<number> {
  let options: LoadOptions;
  try {
    options = parseLoadOptions(argv);
  } catch (e) {
    console.error(`npm run load: ${(e as Error).message}\nusage: npm run load -- [--roles 200] [--workers N] [--entities 10000] [--ready-within 300s] [--json FILE]`);
    return 2;
  }
  const r = await runLoad(options);
  for (const line of formatLoad(r)) console.log(line);
  if (options.json) writeFileSync(options.json, `${JSON.stringify(r, null, 2)}\n`);
  const failed = r.checks.filter((c) => !c.ok).length;
  console.log(failed === 0 ? `load: every check holds (${r.checks.length})` : `load: FAILED, ${failed} check(s)`);
  return failed === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      console.error(`npm run load: ${e instanceof Error ? e.message : String(e)}`);
      process.exitCode = 1;
    },
  );
}
