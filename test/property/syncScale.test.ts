// Property 4 (R7): sync at scale. SC equals the population, progress is monotonic and ends at the
// announced totals, work per entity is constant (counted: frames, bytes, SC store operations), and
// with a server sync rate the simulated sync time and the role's ETA match count / rate.
import fc from 'fast-check';
import t from 'tap';
import { SimulatedClock } from '../../core/clock.js';
import { isConverged } from '../../harness/runner/checkExpectation.js';
import { settle } from '../../harness/runner/settle.js';
import { VirtualNetwork } from '../../harness/runner/virtualNetwork.js';
import type { PluginRole } from '../../plugin/pluginRole.js';
import { SecurityCenter } from '../../plugin/securitycenter/securityCenter.js';
import { createPluginRole } from '../../plugin/createPluginRole.js';
import type { StoreOps } from '../../plugin/sync/syncedEntities.js';
import { SIPASS_TYPES, type SiPassType } from '../../protocol/sipassTypes.js';
import type { PopulationSpec } from '../../simulator/populationSpec.js';
import { SiPassServer } from '../../simulator/sipassServer.js';
import { fcAssert } from '../helpers/fcRun.js';

interface Sample {
  at: number;
  done: number;
  total: number;
  etaMs: number | null;
  perType: Partial<Record<SiPassType, { done: number; total: number }>>;
}

interface SyncRun {
  role: PluginRole;
  server: SiPassServer;
  samples: Sample[];
  framesIn: number;
  bytesIn: number;
  ops: StoreOps;
  startedAt: number;
  endedAt: number;
  close(): Promise<void>;
  /** Runs simulated time (timer by timer, after loopback I/O settles) until the role is ready. */
  untilReady(): Promise<void>;
}

/** A fake server and a role on one simulated clock over loopback, the way the scenario runner does it. */
async function startSync(population: PopulationSpec, opts: { syncRate?: number; batchSize: number; credentialSync: boolean }): Promise<SyncRun> {
  const clock = new SimulatedClock(0);
  const server = new SiPassServer({ population, clock, port: 0, batchSize: opts.batchSize, syncRate: opts.syncRate ?? 0, epoch: 'scale-1' });
  const { port } = await server.listen(0, '127.0.0.1');
  const net = new VirtualNetwork(['127.0.0.1'], 5645);
  net.realPort = port;
  const sc = new SecurityCenter();
  const role = createPluginRole(sc, 'SiPass plugin', { clock, connector: net.connector, roleId: 'scale' });
  const run: SyncRun = {
    role,
    server,
    samples: [],
    framesIn: 0,
    bytesIn: 0,
    ops: { creates: 0, updates: 0, deletes: 0 },
    startedAt: 0,
    endedAt: 0,
    close: async () => {
      role.stop();
      await server.stop();
    },
    untilReady: async () => {
      for (let i = 0; i < 100_000; i++) {
        await settle(server, role, net);
        if (role.state === 'ready') break;
        const next = clock.nextDue();
        if (next === undefined) throw new Error(`stuck in ${role.snapshot().detail}`);
        clock.advanceTo(next);
      }
      const s = role.snapshot();
      run.framesIn = s.framesIn;
      run.bytesIn = s.bytesIn;
      run.ops = { ...role.entities.ops };
      run.startedAt = s.lastSync?.startedAt ?? Number.NaN;
      run.endedAt = s.lastSync?.endedAt ?? Number.NaN;
    },
  };
  let lastDone = -1;
  role.on('snapshot', () => {
    const p = role.snapshot().progress;
    if (p && p.done !== lastDone) {
      lastDone = p.done;
      run.samples.push({ at: clock.now(), done: p.done, total: p.total, etaMs: p.etaMs, perType: p.perType });
    }
  });
  role.apply({ host: '127.0.0.1', port: 5645, credentialSync: opts.credentialSync });
  await run.untilReady();
  return run;
}

const sum = (xs: Iterable<number>): number => [...xs].reduce((a, b) => a + b, 0);
const requested = (credentialSync: boolean): SiPassType[] => SIPASS_TYPES.filter((t) => t !== 'credentials' || credentialSync);
const scCount = (role: PluginRole): number => sum(Object.values(role.entities.countsByScType()));

/** Mixes of every type, up to ~17k entities. */
const population = fc.record({
  seed: fc.nat(10_000),
  alarmClasses: fc.noBias(fc.nat(50)),
  cardholders: fc.noBias(fc.nat(8_000)),
  credentials: fc.noBias(fc.nat(4_000)),
  workgroups: fc.noBias(fc.nat(200)),
  doorsets: fc.noBias(fc.nat(2_000)),
  banks: fc.noBias(fc.nat(50)),
  apbAreas: fc.noBias(fc.nat(200)),
  areas: fc.noBias(fc.nat(300)),
  units: fc.noBias(fc.nat(2_000)),
  eventTypes: fc.noBias(fc.nat(60)),
});

function fail(msg: string): never {
  throw new Error(msg);
}

/** Checks one completed full sync; returns its counted work. */
function checkFullSync(run: SyncRun, credentialSync: boolean, batchSize: number): void {
  const { role, server, samples } = run;
  const c = isConverged(role, server);
  if (!c.ok) fail(`SC differs from the population after a full sync: ${c.detail}`);
  const types = requested(credentialSync);
  const announced = sum(types.map((t) => server.site.count(t)));
  // Progress: monotonic, constant total equal to what the server announced, ends at it.
  let prev = -1;
  for (const s of samples) {
    if (s.total !== announced) fail(`progress total ${s.total}, announced ${announced}`);
    if (s.done < prev) fail(`progress went back from ${prev} to ${s.done}`);
    if (s.done > s.total) fail(`progress ${s.done} beyond total ${s.total}`);
    prev = s.done;
  }
  const last = samples[samples.length - 1];
  if (announced > 0 && last?.done !== announced) fail(`progress ended at ${String(last?.done)} of ${announced}`);
  for (const t of types) {
    const pt = last?.perType[t];
    if (announced > 0 && (pt?.done ?? 0) !== (pt?.total ?? 0)) fail(`${t}: progress ${String(pt?.done)} of ${String(pt?.total)}`);
  }
  // Work per entity, counted: batch frames are ceil(n/batch) per type plus a constant few
  // (welcome, syncBegin, syncEnd, activeAlarms) plus a pong per heartbeat (10s of simulated time);
  // one SC store operation per SC entity.
  const batches = sum(types.map((t) => Math.ceil(server.site.count(t) / batchSize)));
  const pongs = Math.ceil(run.endedAt / 10_000) + 1;
  if (run.framesIn < batches || run.framesIn > batches + 6 + pongs) fail(`frames in ${run.framesIn} for ${batches} batches and up to ${pongs} pongs`);
  const created = scCount(role);
  if (run.ops.creates !== created || run.ops.updates !== 0 || run.ops.deletes !== 0) fail(`store ops ${JSON.stringify(run.ops)} for ${created} SC entities`);
  if (created > 2 * announced) fail(`${created} SC entities for ${announced} SiPass entities (more than 2 each)`);
}

t.test('R7: a full sync of a generated population leaves SC equal to it; progress monotonic to the announced totals; constant work per entity', async (t) => {
  await fcAssert(
    t,
    fc.asyncProperty(population, fc.boolean(), fc.constantFrom(100, 500, 1000), async (pop, credentialSync, batchSize) => {
      const run = await startSync(pop, { batchSize, credentialSync });
      try {
        checkFullSync(run, credentialSync, batchSize);
        // A manual resync does constant work per entity too: one update per SC entity, nothing created or deleted.
        const before = { ...run.ops };
        const bytesBefore = run.bytesIn;
        run.role.manualSync();
        await run.untilReady();
        const n = scCount(run.role);
        const d = { creates: run.ops.creates - before.creates, updates: run.ops.updates - before.updates, deletes: run.ops.deletes - before.deletes };
        if (d.creates !== 0 || d.deletes !== 0 || d.updates !== n) fail(`manual resync store ops ${JSON.stringify(d)} for ${n} SC entities`);
        if (!isConverged(run.role, run.server).ok) fail('SC differs after a manual resync');
        const resyncBytes = run.bytesIn - bytesBefore;
        if (Math.abs(resyncBytes - bytesBefore) > 0.05 * bytesBefore + 2000) fail(`a resync moved ${resyncBytes} bytes, the first sync ${bytesBefore}`);
      } finally {
        await run.close();
      }
    }),
    { numRuns: 3 },
  );
  t.pass('held');
});

t.test('R7: frames, bytes and SC store operations grow linearly (doubling the population doubles them)', async (t) => {
  await fcAssert(
    t,
    fc.asyncProperty(population, fc.constantFrom(100, 500), async (pop, batchSize) => {
      const double = Object.fromEntries(Object.entries(pop).map(([k, v]) => [k, k === 'seed' ? v : 2 * v])) as typeof pop;
      const n = sum(SIPASS_TYPES.map((t) => pop[t]));
      fc.pre(n >= 2_000);
      const one = await startSync(pop, { batchSize, credentialSync: true });
      await one.close();
      const two = await startSync(double, { batchSize, credentialSync: true });
      await two.close();
      checkFullSync(one, true, batchSize);
      checkFullSync(two, true, batchSize);
      // Generated names grow by at most a digit, so bytes per entity stay within a few percent.
      const bytes = two.bytesIn / one.bytesIn;
      if (bytes < 1.9 || bytes > 2.15) fail(`bytes ${one.bytesIn} -> ${two.bytesIn} (x${bytes.toFixed(3)}) for twice the entities`);
      const ops = two.ops.creates - 2 * one.ops.creates;
      if (Math.abs(ops) > 2) fail(`store ops ${one.ops.creates} -> ${two.ops.creates} for twice the entities`);
      const frames = two.framesIn / one.framesIn;
      if (frames > 2.2) fail(`frames ${one.framesIn} -> ${two.framesIn} for twice the entities`);
    }),
    { numRuns: 2 },
  );
  t.pass('held');
});

/** A rate-limited population: mostly cardholders, a few of every other type. */
const rated = fc.record({
  cardholders: fc.integer({ min: 300, max: 3_000 }),
  doorsets: fc.nat(100),
  units: fc.nat(50),
  alarmClasses: fc.nat(10),
  eventTypes: fc.nat(20),
  rate: fc.integer({ min: 20, max: 2_000 }),
  batches: fc.integer({ min: 10, max: 60 }),
  seed: fc.nat(10_000),
});

t.test('R7: with a server sync rate, simulated sync time is count / rate within one batch', async (t) => {
  await fcAssert(
    t,
    fc.asyncProperty(rated, async (p) => {
      const count = p.cardholders + p.doorsets + p.units + p.alarmClasses + p.eventTypes;
      const batchSize = Math.ceil(count / p.batches);
      const run = await startSync({ seed: p.seed, cardholders: p.cardholders, doorsets: p.doorsets, units: p.units, alarmClasses: p.alarmClasses, eventTypes: p.eventTypes }, { syncRate: p.rate, batchSize, credentialSync: false });
      try {
        checkFullSync(run, false, batchSize);
        const took = run.endedAt - run.startedAt;
        const truth = (count / p.rate) * 1000;
        const batchMs = (batchSize / p.rate) * 1000;
        if (Math.abs(took - truth) > batchMs) fail(`${count} entities at ${p.rate}/s took ${took}ms of simulated time, expected ${truth.toFixed(1)}ms within one batch (${batchMs.toFixed(1)}ms)`);
      } finally {
        await run.close();
      }
    }),
    { numRuns: 5 },
  );
  t.pass('held');
});

/** The ETA the role shows, against the truth (the simulated time the sync still took), once 10% is done. */
function etaErrors(run: SyncRun): string[] {
  const out: string[] = [];
  for (const s of run.samples) {
    if (s.done < 0.1 * s.total || s.done >= s.total) continue;
    const truth = run.endedAt - s.at;
    const eta = s.etaMs ?? Number.NaN;
    if (!(Math.abs(eta - truth) <= 0.1 * truth)) out.push(`at ${s.done}/${s.total} (t=${s.at.toFixed(0)}ms) ETA ${eta.toFixed(0)}ms, truth ${truth.toFixed(0)}ms`);
  }
  return out;
}

t.test('R7: once 10% is done, the role\'s ETA is within 10% of the truth (strict)', async (t) => {
  let failure: string | undefined;
  try {
    await fcAssert(
      t,
      fc.asyncProperty(rated, async (p) => {
        const count = p.cardholders + p.doorsets + p.units + p.alarmClasses + p.eventTypes;
        const batchSize = Math.ceil(count / p.batches);
        const run = await startSync({ seed: p.seed, cardholders: p.cardholders, doorsets: p.doorsets, units: p.units, alarmClasses: p.alarmClasses, eventTypes: p.eventTypes }, { syncRate: p.rate, batchSize, credentialSync: false });
        await run.close();
        const errors = etaErrors(run);
        if (errors.length > 0) fail(`ETA off by more than 10%: ${errors.slice(0, 3).join('; ')}`);
      }),
      { numRuns: 5 },
    );
  } catch (e) {
    failure = (e as Error).message.split('\n').slice(0, 12).join('\n');
  }
  // This found a real bug (fixed in simulator/serverSession.ts): a rate-limited server sent each batch at once
  // and paused after it, so the first batch counted against ~0 ms and the ETA at 10% of a 300-entity sync at
  // 20/s read 9 ms instead of 13.5 s. Batches now leave once their share of time has passed.
  if (failure !== undefined) t.comment(failure);
  t.equal(failure, undefined, 'strict ETA bound');
});
