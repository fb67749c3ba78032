/**
 * Load: one fake SiPass server serving 50 plugin roles at once, each
 * full-syncing the same 10,000-entity mixed site over loopback TCP. Every
 * role reaches `ready` with the server's digest; the server's memory stays
 * bounded (it streams the site, never materialises it).
 *
 * The server runs in a worker thread of this process (its own V8 heap, so its
 * heap is measured apart from the roles'); the 50 roles, each in its own
 * Security Center, run on the test's main thread. Figures are printed as TAP
 * comments. No assertion on wall-clock time: only a generous bound on how
 * long to wait for `ready`.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { Worker } from 'node:worker_threads';
import t from 'tap';
import type { PluginRole, RoleNotice, RoleSnapshot } from '../../plugin/pluginRole.js';
import { SecurityCenter } from '../../plugin/securitycenter/securityCenter.js';
import { createPluginRole } from '../../plugin/createPluginRole.js';
import { SIPASS_TYPES } from '../../protocol/sipassTypes.js';
import type { PopulationSpec } from '../../simulator/populationSpec.js';
import type { FromServerThread, ServerThreadData, ToServerThread } from './serverThread.js';

const ROLES = 50;
const READY_WITHIN_MS = 120_000;

/** 10,000 entities over every SiPass type. */
const POPULATION = {
  seed: 4242,
  name: 'Load site',
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
} satisfies PopulationSpec;
const TOTAL = SIPASS_TYPES.reduce((n, type) => n + POPULATION[type], 0);

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const MiB = 1024 * 1024;
const mib = (n: number): string => (Math.abs(n) < MiB ? `${(n / 1024).toFixed(0)} KiB` : `${(n / MiB).toFixed(1)} MiB`);

/** Process memory after a full collection (RSS is the whole process: server thread included). */
function settled(): NodeJS.MemoryUsage {
  gc();
  gc();
  return process.memoryUsage();
}

/** The server thread, spoken to by message. */
class ServerThread {
  private readonly worker: Worker;
  private readonly inbox: FromServerThread[] = [];
  private wake: (() => void) | undefined;
  private error: Error | undefined;
  readonly exited: Promise<number>;

  constructor(data: ServerThreadData) {
    this.worker = new Worker(new URL('./serverThread.ts', import.meta.url), { workerData: data });
    this.worker.on('message', (m: FromServerThread) => {
      this.inbox.push(m);
      this.wake?.();
    });
    this.worker.on('error', (e) => {
      this.error = e;
      this.wake?.();
    });
    this.exited = new Promise((resolve) => this.worker.once('exit', resolve));
  }

  async next<K extends FromServerThread['kind']>(kind: K, timeoutMs = 60_000): Promise<Extract<FromServerThread, { kind: K }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.inbox.findIndex((m) => m.kind === kind || m.kind === 'failed');
      if (i >= 0) {
        const [m] = this.inbox.splice(i, 1);
        if (m?.kind === 'failed') throw new Error(`server thread failed: ${m.message}`);
        return m as Extract<FromServerThread, { kind: K }>;
      }
      if (this.error) throw this.error;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`server thread sent no "${kind}" within ${timeoutMs}ms`);
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

  ask<K extends FromServerThread['kind']>(c: ToServerThread, kind: K): Promise<Extract<FromServerThread, { kind: K }>> {
    this.worker.postMessage(c);
    return this.next(kind);
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }
}

t.test(`one fake server, ${ROLES} roles full-syncing a ${TOTAL.toLocaleString('en')}-entity site at once`, async (t) => {
  t.equal(TOTAL, 10_000, 'the site has 10,000 entities');
  const before = settled();

  const server = new ServerThread({ population: POPULATION });
  let serverStopped = false;
  t.teardown(async () => {
    if (!serverStopped) await server.terminate();
  });
  const listening = await server.next('listening');
  t.equal(listening.total, TOTAL, 'the server serves the whole site');

  // Sample the main thread (roles) and the process while the syncs run.
  let peakRss = 0;
  let peakHeap = 0;
  const sample = (): void => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  sample();
  const sampler = setInterval(sample, 25);
  t.teardown(() => clearInterval(sampler));

  const roles: PluginRole[] = [];
  for (let i = 0; i < ROLES; i++) {
    const sc = new SecurityCenter();
    roles.push(createPluginRole(sc, `SiPass plugin ${i + 1}`, { roleId: `load-role-${i + 1}` }));
  }
  t.teardown(() => {
    for (const r of roles) r.stop();
  });
  // Why any role lost its connection (a reconnect is allowed: the role recovers by itself; it is reported).
  const lost: string[] = [];
  for (const role of roles) {
    role.on('notice', (n: RoleNotice) => {
      if (n.kind === 'state' && n.state === 'connecting' && n.error) lost.push(`${role.name}: ${n.error.code}: ${n.error.message}`);
    });
  }

  // All at once: every Apply in the same tick, then wait for all of them.
  const started = performance.now();
  const readyAt: number[] = [];
  let during: NodeJS.MemoryUsage | undefined;
  for (const role of roles) role.apply({ host: '127.0.0.1', port: listening.port, credentialSync: true });
  const snapshots: RoleSnapshot[] = await Promise.all(
    roles.map(async (role) => {
      const snap = await role.waitFor('ready', READY_WITHIN_MS);
      readyAt.push(performance.now() - started);
      if (readyAt.length === Math.ceil(ROLES / 2)) during = process.memoryUsage();
      return snap;
    }),
  );
  const allReadyMs = performance.now() - started;
  clearInterval(sampler);
  sample();
  const atReady = process.memoryUsage();
  const serverStats = await server.ask({ cmd: 'stats' }, 'stats');

  // Correctness: every role holds the whole site, with the server's digest.
  t.equal(snapshots.length, ROLES, `${ROLES} roles reached ready`);
  t.ok(serverStats.sessionsServed >= ROLES, `the server served ${serverStats.sessionsServed} connections`);
  const digests = new Set(snapshots.map((s) => s.digest));
  t.equal(digests.size, 1, 'every role has the same digest');
  t.equal(snapshots[0]?.digest, listening.digest, 'and it is the digest of the site the server serves');
  t.ok(
    snapshots.every((s) => s.serverDigest === listening.digest),
    'each role was told that same digest by the server at syncEnd',
  );
  const wrongCounts = roles.flatMap((role) =>
    SIPASS_TYPES.filter((type) => role.entities.sourceCount(type) !== POPULATION[type]).map((type) => `${role.name}: ${type} ${role.entities.sourceCount(type)}`),
  );
  t.strictSame(wrongCounts, [], 'every role holds every entity of every type');

  // Memory. The server streams the site from its seed: its live heap grows by what 50 sessions
  // have in flight (a batch each, backpressure on every socket), well under a materialised population per role.
  const serverLiveGrowth = Math.max(0, serverStats.livePeak - listening.heapBaseline);
  const serverRawGrowth = Math.max(0, serverStats.heapPeak - listening.heapBaseline);
  const rolesRetained = settled().heapUsed - before.heapUsed;
  for (const r of roles) r.stop();
  roles.length = 0;
  const serverAfter = await server.ask({ cmd: 'stats' }, 'stats');
  await server.ask({ cmd: 'stop' }, 'stopped');
  serverStopped = true;
  await server.exited;
  await new Promise((r) => setTimeout(r, 50));
  const after = settled();

  t.comment(`time to all-ready: ${(allReadyMs / 1000).toFixed(2)} s for ${ROLES} x ${TOTAL} entities (first ready ${((readyAt[0] ?? 0) / 1000).toFixed(2)} s)`);
  t.comment(`server: ${serverStats.sessionsServed} connections for ${ROLES} roles, ${serverStats.framesOut} frames, ${mib(serverStats.bytesOut)} sent`);
  if (lost.length > 0) t.comment(`connections lost and re-established: ${lost.length}: ${lost.slice(0, 5).join('; ')}`);
  t.comment(
    `server heap (its own isolate): baseline ${mib(listening.heapBaseline)}; live peak ${mib(serverStats.livePeak)} (+${mib(serverLiveGrowth)}, ` +
      `${mib(serverLiveGrowth / ROLES)} per role, ${serverStats.liveSamples} samples after a forced GC); ` +
      `peak with uncollected garbage ${mib(serverStats.heapPeak)} (+${mib(serverRawGrowth)}); external (socket buffers) peak ${mib(serverStats.externalPeak)}; ` +
      `after the syncs ${mib(serverAfter.heapNow)}`,
  );
  t.comment(`a materialised 10k population (every record as an object) measures ${mib(listening.materialisedBytes)} of heap`);
  t.comment(`process before: RSS ${mib(before.rss)}, heap ${mib(before.heapUsed)}`);
  t.comment(`process during (half the roles ready): RSS ${mib(during?.rss ?? 0)}, heap ${mib(during?.heapUsed ?? 0)}`);
  t.comment(`process at all-ready: RSS ${mib(atReady.rss)}, heap ${mib(atReady.heapUsed)}; peak RSS ${mib(peakRss)}, peak heap ${mib(peakHeap)}`);
  t.comment(`roles retain ${mib(rolesRetained)} of heap (${mib(rolesRetained / ROLES)} per role, main thread)`);
  t.comment(`process after (roles stopped, server stopped): RSS ${mib(after.rss)}, heap ${mib(after.heapUsed)}`);

  t.ok(listening.materialisedBytes > 0, 'the materialised population was measured');
  t.ok(serverStats.liveSamples > 0, 'the server live set was sampled during the syncs');
  t.ok(
    serverLiveGrowth / ROLES < listening.materialisedBytes / 4,
    `server live heap growth per role (${mib(serverLiveGrowth / ROLES)}) is well under a materialised population (${mib(listening.materialisedBytes)})`,
  );
  t.ok(
    serverAfter.heapNow - listening.heapBaseline < listening.materialisedBytes,
    `the server keeps nothing per session once the syncs are done (+${mib(serverAfter.heapNow - listening.heapBaseline)})`,
  );
  t.ok(
    after.heapUsed - before.heapUsed < rolesRetained / 4,
    `the roles' memory is released when they stop (${mib(after.heapUsed - before.heapUsed)} left of ${mib(rolesRetained)})`,
  );
});
