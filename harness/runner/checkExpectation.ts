import type { PluginRole } from '../../plugin/pluginRole.js';
import type { AlarmEntity } from '../../plugin/securitycenter/scTypes.js';
import type { SecurityCenter } from '../../plugin/securitycenter/securityCenter.js';
import type { SiPassServer } from '../../simulator/sipassServer.js';
import { SIPASS_TYPES } from '../../protocol/sipassTypes.js';
import { SiteDigest } from '../../protocol/siteDigest.js';
import type { Expectation } from '../scenario/scenario.js';
import { checkOperatorView } from './checkOperatorView.js';
import type { Mismatch } from './results.js';

export interface World {
  sc: SecurityCenter;
  role: PluginRole | null;
  server: SiPassServer;
  /** SC ids remembered by `rememberAs` during the run. */
  memory?: Map<string, string>;
  /** Every server of the scenario by name (`server:` picks one; default: `serverOf` the role, else `server`). */
  servers?: ReadonlyMap<string, SiPassServer>;
  /** The server a role's Properties tab reaches. */
  serverOf?: (role: PluginRole | null) => SiPassServer | undefined;
}

/**
 * An alarm entity by SC id, alarm class id or name. With `role:` (two roles on one server sync
 * the same alarm classes) that role's plugin alarms are looked at first.
 */
export function findAlarm(w: World, e: Expectation, ref: string): AlarmEntity | undefined {
  if (e.role !== undefined && w.role) {
    const own = w.role.entities.pluginAlarms().find((a) => a.id === ref || a.sipassId === ref || a.name === ref);
    if (own) return own;
  }
  return w.sc.alarms.find(ref);
}

const sorted = (xs: readonly string[]): string[] => [...xs].sort();
const sameList = (a: readonly string[], b: readonly string[]): boolean => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));

/** Every way the world differs from one `expect:` step (empty: it holds). */
export function checkExpectation(world: World, e: Expectation): Mismatch[] {
  const out: Mismatch[] = [];
  // `role:` looks at another role of the scenario (every hosted role is a PluginRole here).
  const other = e.role !== undefined ? ((world.sc.listRoles().find((r) => r.name === e.role) as PluginRole | undefined) ?? null) : world.role;
  // `server:` looks at another server; by default the one the role's Properties tab reaches.
  const server = (e.server !== undefined ? world.servers?.get(e.server) : undefined) ?? world.serverOf?.(other) ?? world.server;
  const w: World = { ...world, role: other, server };
  const role = w.role;
  out.push(...checkOperatorView(w, e, role, role?.clock.now() ?? 0));
  const need = (what: string): PluginRole | null => {
    if (!role) out.push({ what, expected: 'a plugin role', actual: 'no role exists (securityCenter.role is null)' });
    return role;
  };
  if (e.state !== undefined && need('state')) {
    const s = role?.state;
    if (s !== e.state) out.push({ what: 'role state', expected: e.state, actual: s });
  }
  if (e.counts && need('counts')) {
    const counts = role?.entities.countsByScType() ?? {};
    for (const [t, n] of Object.entries(e.counts)) {
      const actual = (counts as Record<string, number>)[t] ?? 0;
      if (actual !== n) out.push({ what: `count of ${t}`, expected: n, actual });
    }
  }
  if (e.entity && role) {
    const ent = role.entities.find(e.entity.id, e.entity.type);
    if (e.entity.absent) {
      if (ent) out.push({ what: `${e.entity.type} ${e.entity.id}`, expected: 'absent', actual: `present (${ent.id})` });
    } else if (!ent) {
      out.push({ what: `${e.entity.type} ${e.entity.id}`, expected: 'present', actual: 'absent' });
    } else {
      if (e.entity.name !== undefined && ent.name !== e.entity.name) out.push({ what: `${e.entity.type} ${e.entity.id} name`, expected: e.entity.name, actual: ent.name });
      for (const [k, v] of Object.entries(e.entity.fields ?? {})) {
        if (ent.fields[k] !== v) out.push({ what: `${e.entity.type} ${e.entity.id} field ${k}`, expected: v, actual: ent.fields[k] ?? null });
      }
    }
  }
  if (e.alarm) {
    const a = findAlarm(w, e, e.alarm.alarm);
    if (e.alarm.absent) {
      if (a) out.push({ what: `alarm ${e.alarm.alarm}`, expected: 'absent', actual: `present (${a.id})` });
    } else if (!a) {
      out.push({ what: `alarm ${e.alarm.alarm}`, expected: 'an alarm entity', actual: 'none' });
    } else {
      if (e.alarm.recipients && !sameList(a.recipients, e.alarm.recipients)) out.push({ what: `alarm ${e.alarm.alarm} recipients`, expected: sorted(e.alarm.recipients), actual: sorted(a.recipients) });
      if (e.alarm.partitions && !sameList(a.partitions, e.alarm.partitions)) out.push({ what: `alarm ${e.alarm.alarm} partitions`, expected: sorted(e.alarm.partitions), actual: sorted(a.partitions) });
    }
  }
  if (e.monitor) {
    const m = e.monitor;
    let entries = [...w.sc.monitor.list()];
    if (m.occurrence !== undefined) entries = entries.filter((x) => x.occurrenceId === m.occurrence);
    if (m.alarm !== undefined) {
      const a = findAlarm(w, e, m.alarm);
      entries = entries.filter((x) => x.alarmName === m.alarm || (a !== undefined && x.alarmId === a.id));
    }
    if (m.kind !== undefined) entries = entries.filter((x) => x.kind === m.kind);
    const label = `alarm monitor${m.occurrence ? ` occurrence ${m.occurrence}` : ''}${m.alarm ? ` alarm ${m.alarm}` : ''}${m.kind ? ` (${m.kind})` : ''}`;
    if (m.count !== undefined && entries.length !== m.count) out.push({ what: `${label} triggerings`, expected: m.count, actual: entries.length });
    const last = entries[entries.length - 1];
    if (m.notified !== undefined) {
      if (!last) out.push({ what: `${label} notified`, expected: sorted(m.notified), actual: 'never triggered' });
      else if (!sameList(last.notified, m.notified)) out.push({ what: `${label} notified`, expected: sorted(m.notified), actual: last.notified });
    }
    if (m.acknowledgedBy !== undefined) {
      const by = last?.acknowledged?.by ?? null;
      if (by !== m.acknowledgedBy) out.push({ what: `${label} acknowledged by`, expected: m.acknowledgedBy, actual: by });
    }
    if (m.acknowledged !== undefined) {
      const acked = last?.acknowledged != null;
      if (acked !== m.acknowledged) out.push({ what: `${label} acknowledged`, expected: m.acknowledged, actual: last ? (last.acknowledged ? `by ${last.acknowledged.by}` : false) : 'never triggered' });
    }
    if (m.count === undefined && m.notified === undefined && m.acknowledgedBy === undefined && m.acknowledged === undefined && entries.length === 0) {
      out.push({ what: label, expected: 'at least one triggering', actual: 'none' });
    }
  }
  if (e.events) {
    for (const [kind, table] of [['custom', e.events.custom], ['native', e.events.native]] as const) {
      for (const [name, n] of Object.entries(table ?? {})) {
        const actual = w.sc.events.countOf(kind, name);
        if (actual !== n) out.push({ what: `${kind} event "${name}" fired`, expected: n, actual });
      }
    }
  }
  if (e.event) out.push(...checkFiredEvent(w, e.event));
  if (e.lastError !== undefined && need('lastError')) {
    const le = role?.snapshot().lastError ?? null;
    if (e.lastError === null) {
      if (le && role?.state !== 'ready') out.push({ what: 'last error', expected: 'none', actual: `${le.code}: ${le.message}` });
    } else {
      if (!le) out.push({ what: 'last error', expected: e.lastError, actual: 'none' });
      else {
        if (e.lastError.code !== undefined && le.code !== e.lastError.code) out.push({ what: 'last error code', expected: e.lastError.code, actual: le.code });
        if (e.lastError.message !== undefined && !le.message.includes(e.lastError.message)) out.push({ what: 'last error message contains', expected: e.lastError.message, actual: le.message });
      }
    }
  }
  if (e.config && need('config')) {
    const c = role?.config as Record<string, unknown> | null;
    for (const [k, v] of Object.entries(e.config)) {
      const actual = c ? c[k] : null;
      const same = Array.isArray(v) && Array.isArray(actual) ? sameList(v as string[], actual as string[]) : actual === v;
      if (!same) out.push({ what: `Properties ${k}`, expected: v, actual });
    }
  }
  if (e.sipass) {
    for (const occ of e.sipass.acknowledged ?? []) {
      const a = w.server.alarms.get(occ);
      if (!a?.acknowledged) out.push({ what: `SiPass alarm ${occ} acknowledged`, expected: true, actual: a ? false : 'not active in SiPass' });
    }
    if (e.sipass.scAcknowledgements !== undefined && w.server.scAcknowledgements.length !== e.sipass.scAcknowledgements) {
      out.push({ what: 'acknowledgements SiPass received from SC', expected: e.sipass.scAcknowledgements, actual: w.server.scAcknowledgements.length });
    }
    for (const [occ, user] of Object.entries(e.sipass.acknowledgedBy ?? {})) {
      const a = w.server.alarms.get(occ);
      const by = a?.acknowledged ? (a.acknowledgedBy ?? '(unknown)') : null;
      if (by !== user) out.push({ what: `SiPass alarm ${occ} acknowledged by`, expected: user, actual: a ? by : 'not active in SiPass' });
    }
    if (e.sipass.activeAlarms !== undefined && w.server.alarms.size !== e.sipass.activeAlarms) {
      out.push({ what: 'alarms active in SiPass', expected: e.sipass.activeAlarms, actual: w.server.alarms.size });
    }
  }
  if (e.converged !== undefined && need('converged') && role) {
    const converged = isConverged(role, w.server);
    if (converged.ok !== e.converged) out.push({ what: 'Security Center equals the SiPass site', expected: e.converged, actual: converged.detail });
  }
  return out;
}

/** R11: the last fired event of a name (and kind), and the SC entity its source resolved to. */
function checkFiredEvent(w: World, e: NonNullable<Expectation['event']>): Mismatch[] {
  const fired = w.sc.events.list().filter((x) => x.name === e.name && (e.kind === undefined || x.kind === e.kind));
  const label = `${e.kind ?? ''}${e.kind ? ' ' : ''}event "${e.name}"`;
  const last = fired[fired.length - 1];
  if (!last) return [{ what: label, expected: 'fired', actual: 'never fired' }];
  const out: Mismatch[] = [];
  if (e.noSourceEntity && last.sourceEntity) out.push({ what: `${label} source entity`, expected: 'none', actual: `${last.sourceEntity.type} ${last.sourceEntity.id}` });
  if (e.sourceEntity) {
    const want = w.role?.entities.find(e.sourceEntity.id, e.sourceEntity.type);
    const wantText = want ? `${want.type} ${want.id} (${want.name})` : `no SC ${e.sourceEntity.type} for "${e.sourceEntity.id}"`;
    const got = last.sourceEntity ? `${last.sourceEntity.type} ${last.sourceEntity.id} (${last.sourceEntity.name})` : 'none';
    if (!want || got !== wantText) out.push({ what: `${label} source entity`, expected: wantText, actual: got });
  }
  return out;
}

/** SC holds exactly the site: per-type counts of synchronized SiPass entities match. */
export function isConverged(role: PluginRole, server: SiPassServer): { ok: boolean; detail: string } {
  const diffs: string[] = [];
  const cred = role.config?.credentialSync ?? false;
  for (const [type, n] of Object.entries(server.site.totals())) {
    const want = type === 'credentials' && !cred ? 0 : n;
    const have = role.entities.sourceCount(type as Parameters<typeof role.entities.sourceCount>[0]);
    if (have !== want) diffs.push(`${type}: SC ${have}, SiPass ${want}`);
  }
  if (diffs.length > 0) return { ok: false, detail: diffs.join('; ') };
  // Same counts: compare content too (the digest both sides compute).
  const d = new SiteDigest();
  for (const type of SIPASS_TYPES) {
    if (type === 'credentials' && !cred) continue;
    for (const r of server.site.entities(type)) d.add(type, r);
  }
  const ours = role.entities.digestString();
  return ours === d.toString() ? { ok: true, detail: 'true' } : { ok: false, detail: `same counts, different content (digest SC ${ours}, SiPass ${d.toString()})` };
}
