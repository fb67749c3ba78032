/**
 * Child process: Security Center with the SiPass plugin role, alone on its
 * event loop. Commands: sync (full sync to ready) -> progress..., synced;
 * expectLive -> liveReceived; stop -> stopped, exit.
 */
import type { PluginRole } from '../plugin/pluginRole.js';
import { NATIVE_EVENT_NAMES } from '../plugin/securitycenter/nativeEvents.js';
import { SecurityCenter } from '../plugin/securitycenter/securityCenter.js';
import { createPluginRole } from '../plugin/createPluginRole.js';
import { leave, nowAbs, serveCommands, toParent, type LiveReceivedReport, type SyncedReport } from './ipc.js';
import { MemorySampler } from './memorySampler.js';

const memory = new MemorySampler();
const sc = new SecurityCenter();
const errors: string[] = [];
let role: PluginRole | undefined;

async function sync(host: string, port: number, timeoutMs: number): Promise<SyncedReport> {
  role = createPluginRole(sc, 'SiPass bench');
  role.on('notice', (n: { kind: string; error?: { code: string; message: string } }) => {
    if (n.kind === 'error' && n.error) errors.push(`${n.error.code}: ${n.error.message}`);
  });
  const r = role;
  const progress = setInterval(() => {
    const p = r.snapshot().progress;
    if (p) toParent({ kind: 'progress', done: p.done, total: p.total });
  }, 250);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  try {
    r.apply({ host, port, credentialSync: true });
    await r.waitFor('ready', timeoutMs);
  } finally {
    clearInterval(progress);
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const s = r.snapshot();
  return {
    kind: 'synced',
    ms,
    entities: r.entities.totalSources(),
    counts: s.counts,
    digest: s.digest,
    serverDigest: s.serverDigest,
    bytesIn: s.bytesIn,
    framesIn: s.framesIn,
    errors: [...errors],
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}

/** Waits until `count` alarms and events arrived, then a little longer to catch doubles. */
function expectLive(count: number, timeoutMs: number): Promise<LiveReceivedReport> {
  const received = (): number => sc.monitor.count + sc.events.count;
  return new Promise((resolve) => {
    let doneAt: number | null = null;
    let last = received();
    let lastChange = performance.now();
    const timer = setInterval(() => {
      const n = received();
      const now = performance.now();
      if (n !== last) {
        last = n;
        lastChange = now;
      }
      if (doneAt === null && n >= count) doneAt = nowAbs();
      const settled = doneAt !== null && now - lastChange > 250;
      if (!settled && now - lastChange < timeoutMs) return;
      clearInterval(timer);
      const occ = sc.monitor.list().map((e) => e.occurrenceId);
      const evs = sc.events.list().map((e) => e.eventId);
      const nativeEvents = NATIVE_EVENT_NAMES.reduce((n, name) => n + sc.events.countOf('native', name), 0);
      resolve({
        kind: 'liveReceived',
        alarms: sc.monitor.count,
        events: sc.events.count - nativeEvents,
        nativeEvents,
        doneAt,
        lastSeq: role?.snapshot().lastSeq ?? 0,
        uniqueAlarms: new Set(occ).size === occ.length,
        uniqueEvents: new Set(evs).size === evs.length,
      });
    }, 2);
  });
}

serveCommands(async (c) => {
  switch (c.cmd) {
    case 'sync':
      toParent(await sync(c.host, c.port, c.timeoutMs));
      return;
    case 'expectLive':
      toParent(await expectLive(c.count, c.timeoutMs));
      return;
    case 'stop': {
      role?.stop();
      toParent({ kind: 'stopped', peak: memory.stop() });
      leave();
      return;
    }
    default:
      throw new Error(`the bench role does not take "${c.cmd}"`);
  }
});
