import type { SecurityCenter } from '../../plugin/securitycenter/securityCenter.js';
import type { ScEntry } from './traceEntry.js';

/** What the trace compares of Security Center between two looks (all cheap to take). */
interface ScLook {
  counts: Map<string, number>;
  alarms: Map<string, string>;
  monitorTotal: number;
  /** Monitor entries (by their number) acknowledged so far. */
  acknowledged: Set<number>;
  eventTotal: number;
}

const alarmKey = (a: { name: string; recipients: readonly string[]; partitions: readonly string[] }): string =>
  JSON.stringify([a.name, [...a.recipients].sort(), [...a.partitions].sort()]);

/**
 * Watches the Security Center model by comparing looks: nothing in plugin/ had to learn about
 * traces. A look costs the roles' per-type counters, one line per alarm entity and two counts,
 * so it is taken at every trace hook; only differences become entries.
 */
export class ScWatch {
  private last: ScLook;

  constructor(private readonly sc: SecurityCenter) {
    this.last = this.look();
  }

  private look(): ScLook {
    const counts = new Map<string, number>();
    for (const r of this.sc.listRoles()) {
      for (const [type, n] of Object.entries(r.entities.countsByScType())) if (n > 0) counts.set(`${r.name}\u0000${type}`, n);
    }
    const alarms = new Map<string, string>();
    for (const a of this.sc.alarms.list()) alarms.set(a.id, alarmKey(a));
    const monitor = this.sc.monitor.list();
    const acknowledged = new Set<number>();
    for (const m of monitor) if (m.acknowledged) acknowledged.add(m.n);
    return { counts, alarms, monitorTotal: this.sc.monitor.count, acknowledged, eventTotal: this.sc.events.count };
  }

  /** The changes since the previous look, as trace entries at `at`. */
  changes(at: number): ScEntry[] {
    const now = this.look();
    const was = this.last;
    this.last = now;
    const out: ScEntry[] = [];
    const countChanges: Record<string, { from: number; to: number }> = {};
    for (const key of new Set([...was.counts.keys(), ...now.counts.keys()])) {
      const from = was.counts.get(key) ?? 0;
      const to = now.counts.get(key) ?? 0;
      if (from !== to) countChanges[key.replace('\u0000', ' / ')] = { from, to };
    }
    const changed = Object.entries(countChanges);
    if (changed.length > 0) {
      const text = changed.map(([k, c]) => `${k.split(' / ')[1] ?? k} ${c.from}\u2192${c.to}`).join(', ');
      out.push({ lane: 'sc', at, what: 'entities', text: `entities: ${text}`, fields: countChanges });
    }
    for (const a of this.sc.alarms.list()) {
      const before = was.alarms.get(a.id);
      const after = now.alarms.get(a.id);
      if (before === after) continue;
      const fields = { id: a.id, name: a.name, recipients: a.recipients, partitions: a.partitions, createdBy: a.createdBy };
      out.push({ lane: 'sc', at, what: 'alarmEntity', text: `${before === undefined ? 'alarm entity created' : 'alarm entity changed'}: ${a.name} (recipients ${a.recipients.join(', ') || 'none'}; partitions ${a.partitions.join(', ') || 'none'})`, fields });
    }
    for (const id of was.alarms.keys()) {
      if (!now.alarms.has(id)) out.push({ lane: 'sc', at, what: 'alarmEntity', text: `alarm entity removed: ${id}`, fields: { id } });
    }
    if (now.monitorTotal > was.monitorTotal) {
      const fresh = this.sc.monitor.list().slice(-(now.monitorTotal - was.monitorTotal));
      for (const m of fresh) {
        out.push({ lane: 'sc', at, what: 'monitor', text: `alarm monitor: ${m.alarmName} ${m.kind} (occurrence ${m.occurrenceId}), notified ${m.notified.join(', ') || 'nobody'}`, fields: { ...m } });
      }
    }
    if (now.acknowledged.size > was.acknowledged.size) {
      for (const m of this.sc.monitor.list()) {
        if (m.acknowledged && !was.acknowledged.has(m.n)) out.push({ lane: 'sc', at, what: 'monitor', text: `alarm monitor: occurrence ${m.occurrenceId} acknowledged by ${m.acknowledged.by} (from ${m.acknowledged.from})`, fields: { ...m } });
      }
    }
    if (now.eventTotal > was.eventTotal) {
      for (const e of this.sc.events.list().slice(-(now.eventTotal - was.eventTotal))) {
        out.push({ lane: 'sc', at, what: 'event', text: `${e.kind} event "${e.name}"${e.sourceEntity ? ` about ${e.sourceEntity.type} ${e.sourceEntity.name}` : ''}`, fields: { ...e } });
      }
    }
    return out;
  }
}
