/**
 * What each dashboard pane shows, as plain data and strings: pure functions of
 * a role snapshot, server stats and Security Center state. No blessed here, so
 * every pane is unit-tested in memory.
 */
import { refusedLine } from '../simulator/limits/connectionGate.js';
import type { ServerEvent, ServerStats } from '../simulator/sipassServer.js';
import type { RoleNotice, RoleSnapshot } from '../plugin/pluginRole.js';
import type { RoleState } from '../plugin/machine/roleMachine.js';
import type { ConfigProblem } from '../plugin/config/configProblem.js';
import type { PluginConfig } from '../plugin/config/pluginConfig.js';
import type { AlarmTriggering } from '../plugin/securitycenter/alarmMonitor.js';
import type { EntityBrowserNode } from '../plugin/securitycenter/securityCenter.js';
import { SC_TYPE_LABEL, type AlarmEntity, type ScType } from '../plugin/securitycenter/scTypes.js';
import { SIPASS_TYPES, type SiPassType } from '../protocol/sipassTypes.js';
import { KEYMAP, type KeyAction } from './keymap.js';
import { bar, clip, clockTime, formatTable, names, shortDuration, thousands, wrap } from './format.js';

export const ROLE_STATES: readonly RoleState[] = ['unconfigured', 'connecting', 'syncing', 'ready'];

// --- State machine pane --------------------------------------------------------

export interface StatePane {
  states: Array<{ name: RoleState; current: boolean }>;
  /** "unconfigured > connecting > syncing > [ready]": the current state bracketed. */
  line: string;
  lines: string[];
  health: RoleSnapshot['health'];
}

export function statePane(s: RoleSnapshot, now: number): StatePane {
  const states = ROLE_STATES.map((name) => ({ name, current: name === s.state }));
  const line = states.map((x) => (x.current ? `[${x.name}]` : x.name)).join(' > ');
  const retry = s.nextRetryAt === null ? '-' : `in ${shortDuration(Math.max(0, s.nextRetryAt - now))} (${clockTime(s.nextRetryAt)})`;
  return {
    states,
    line,
    health: s.health,
    // Most telling first: a narrow pane wraps these and scrolls, the last error stays in view.
    lines: [
      `State: ${s.detail === s.state ? s.state : s.detail}  health ${s.health}`,
      `Last error: ${s.lastError ? `${s.lastError.code} at ${clockTime(s.lastError.at)}` : 'none'}`,
      ...(s.lastError ? [`  ${s.lastError.message}`] : []),
      `Attempt: ${s.attempt}   Next retry: ${retry}`,
      `Server: ${s.connectedTo ?? '-'}`,
    ],
  };
}

// --- Properties tab ---------------------------------------------------------------

export function propertiesPane(config: PluginConfig | null): Array<{ label: string; value: string }> {
  if (!config) return [{ label: 'Properties', value: 'not applied (role unconfigured)' }];
  return [
    { label: 'Host', value: config.host },
    { label: 'Port', value: String(config.port) },
    { label: 'Alarm recipients', value: names(config.alarmRecipients) },
    { label: 'Alarm partitions', value: names(config.alarmPartitions) },
    { label: 'Credential sync', value: config.credentialSync ? 'on' : 'off' },
  ];
}

/** Shorter names for a narrow pane, so values (Host, Port) stay whole at 80 columns. */
const SHORT_PROPERTY: Record<string, string> = { 'Alarm recipients': 'Recipients', 'Alarm partitions': 'Partitions', 'Credential sync': 'Cred. sync' };

/**
 * The Properties pane's lines. Within `width` (when given) the labels are
 * shortened and less padded before anything is clipped: Host and Port whole.
 */
export function propertiesLines(config: PluginConfig | null, width = Infinity): string[] {
  const rows = propertiesPane(config);
  const wide = rows.map((r) => `${`${r.label}:`.padEnd(18)}${r.value}`);
  if (wide.every((l) => l.length <= width)) return wide;
  const short = rows.map((r) => ({ label: `${SHORT_PROPERTY[r.label] ?? r.label}:`, value: r.value }));
  const pad = Math.max(...short.map((r) => r.label.length)) + 1;
  return short.map((r) => `${r.label.padEnd(pad)}${r.value}`);
}

/** ApplyRejectedError problems, by field, as the form shows them in place. */
export function problemsByField(problems: readonly ConfigProblem[]): Partial<Record<ConfigProblem['field'], string>> {
  const out: Partial<Record<ConfigProblem['field'], string>> = {};
  for (const p of problems) out[p.field] = out[p.field] ? `${out[p.field]}; ${p.message}` : p.message;
  return out;
}

// --- Sync progress -------------------------------------------------------------------

export interface SyncRow {
  type: SiPassType;
  done: number;
  total: number;
  text: string;
}

export interface SyncPane {
  title: string;
  rows: SyncRow[];
  summary: string[];
}

/**
 * The sync pane. With `width` (the pane's inner width) the bar takes what the
 * type, count and percent columns leave (none below 4 cells): a row never
 * needs clipping down to 12 + 7 + 2 * count digits.
 */
export function syncPane(s: RoleSnapshot, barWidth = 10, width?: number): SyncPane {
  const p = s.progress;
  const running = s.state === 'syncing';
  const rows: SyncRow[] = [];
  if (p) {
    const types = SIPASS_TYPES.filter((t) => p.perType[t]);
    const typeW = Math.max(...types.map((t) => t.length));
    const count = (t: SiPassType): string => `${thousands(p.perType[t]?.done ?? 0)}/${thousands(p.perType[t]?.total ?? 0)}`;
    const countW = Math.max(3, ...types.map((t) => count(t).length));
    let barW = barWidth;
    if (width !== undefined) {
      barW = Math.min(20, width - (typeW + countW + 7));
      if (barW < 4) barW = 0;
    }
    for (const type of types) {
      const c = p.perType[type] ?? { done: 0, total: 0 };
      const pct = c.total > 0 ? Math.floor((c.done / c.total) * 100) : 100;
      const cells = [type.padEnd(typeW), ...(barW > 0 ? [bar(c.done, c.total, barW)] : []), count(type).padStart(countW), `${String(pct).padStart(3)}%`];
      rows.push({ type, done: c.done, total: c.total, text: cells.join(' ') });
    }
  }
  const summary: string[] = [];
  if (p && running) {
    summary.push(`${thousands(p.done)}/${thousands(p.total)}  rate ${thousands(p.rate)}/s  ETA ${p.etaMs === null ? '-' : shortDuration(p.etaMs)}`);
  } else if (s.state === 'syncing') {
    summary.push('waiting for the server to begin the sync');
  }
  if (s.lastSync) {
    const ms = s.lastSync.endedAt - s.lastSync.startedAt;
    const n = Object.values(s.lastSync.counts).reduce((a, b) => a + (b ?? 0), 0);
    summary.push(`Last ${s.lastSync.mode} sync: ${thousands(n)} entities in ${shortDuration(ms)} (${thousands(ms > 0 ? (n / ms) * 1000 : n)}/s) at ${clockTime(s.lastSync.endedAt)}`);
  } else if (!p && !running) {
    summary.push('No sync yet');
  }
  const title = running ? `Sync (${p?.mode ?? 'full'}, running)` : 'Sync';
  return { title, rows, summary };
}

// --- Entity browser -------------------------------------------------------------------

export interface BrowserItem {
  /** "role" or "role/type", stable across renders (the expanded set holds these). */
  key: string;
  depth: number;
  text: string;
  expandable: boolean;
  expanded: boolean;
}

export type EntitiesOf = (role: string, type: ScType, limit: number) => Array<{ id: string; name: string; sipassId: string }>;

/**
 * The entity browser's rows. Within `width` the type label gives way (it is
 * clipped), never the count: counts are what a user compares with SiPass (R15).
 */
export function browserItems(nodes: readonly EntityBrowserNode[], expanded: ReadonlySet<string>, entitiesOf: EntitiesOf, limit = 20, width = Infinity): BrowserItem[] {
  const out: BrowserItem[] = [];
  for (const role of nodes) {
    out.push({ key: role.name, depth: 0, text: `${role.name} (${thousands(role.count)} entities)`, expandable: false, expanded: true });
    const countW = Number.isFinite(width) ? Math.max(1, ...(role.children ?? []).map((c) => thousands(c.count).length)) : 9;
    const labelW = Math.max(4, Math.min(26, width - countW - 3));
    for (const child of role.children ?? []) {
      const key = `${role.name}/${child.name}`;
      const open = expanded.has(key);
      const label = clip(SC_TYPE_LABEL[child.name as ScType] ?? child.name, labelW);
      out.push({ key, depth: 1, text: `${open ? '-' : '+'} ${label.padEnd(labelW)} ${thousands(child.count).padStart(countW)}`, expandable: true, expanded: open });
      if (!open) continue;
      const list = entitiesOf(role.name, child.name as ScType, limit);
      for (const e of list) out.push({ key: `${key}/${e.id}`, depth: 2, text: `    ${e.id}  ${e.name}  (SiPass ${e.sipassId})`, expandable: false, expanded: false });
      if (child.count > list.length) out.push({ key: `${key}/…`, depth: 2, text: `    … ${thousands(child.count - list.length)} more`, expandable: false, expanded: false });
    }
  }
  if (out.length === 0) out.push({ key: '', depth: 0, text: 'no plugin role', expandable: false, expanded: false });
  return out;
}

// --- Alarms ------------------------------------------------------------------------------

export const ALARM_HEADER = ['Alarm', 'Pri', 'Recipients', 'Partitions', 'Last trigger', 'Notified'] as const;

/** One row per alarm entity (plugin's and operators'), highest priority (lowest number) first. */
export function alarmRows(alarms: readonly AlarmEntity[], monitor: readonly AlarmTriggering[], scanLimit = 5000): string[][] {
  const last = new Map<string, AlarmTriggering>();
  for (let i = monitor.length - 1, seen = 0; i >= 0 && seen < scanLimit && last.size < alarms.length; i--, seen++) {
    const e = monitor[i];
    if (e?.alarmId && !last.has(e.alarmId)) last.set(e.alarmId, e);
  }
  return [...alarms]
    .sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name))
    .map((a) => {
      const t = last.get(a.id);
      const when = t ? `${clockTime(t.at).slice(0, 8)}${t.acknowledged ? ' ack' : ''}` : '-';
      return [a.name, String(a.priority), names(a.recipients), names(a.partitions), when, t ? names(t.notified) : '-'];
    });
}

/**
 * The alarms pane: a table when every cell fits `width`; otherwise one block
 * per alarm, word-wrapped, so recipients and partitions are read whole rather
 * than clipped (80x24).
 */
export function alarmsTable(alarms: readonly AlarmEntity[], monitor: readonly AlarmTriggering[], width: number): string[] {
  if (alarms.length === 0) return ['no alarm entities yet'];
  const rows = alarmRows(alarms, monitor);
  const natural = ALARM_HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  if (natural.reduce((a, b) => a + b, 0) + 2 * (natural.length - 1) <= width) return formatTable(ALARM_HEADER, rows, width);
  return rows.flatMap(([name, pri, recipients, partitions, when, notified]) => [
    ...wrap(`${name} (pri ${pri}) to ${recipients} in ${partitions}`, width, '    '),
    ...(when !== '-' ? wrap(`  last ${when}, notified ${notified}`, width, '    ') : []),
  ]);
}

// --- Event log -----------------------------------------------------------------------------

export interface LogEntry {
  at: number;
  kind: 'state' | 'error' | 'sync' | 'alarm' | 'event' | 'server' | 'action';
  text: string;
}

export function noticeEntry(n: RoleNotice, at: number): LogEntry {
  switch (n.kind) {
    case 'state':
      return { at: n.at, kind: 'state', text: `${n.state} (${n.detail})` };
    case 'error':
      return { at: n.error.at, kind: 'error', text: `${n.error.code}: ${n.error.message}` };
    case 'syncDone':
      return { at: n.at, kind: 'sync', text: `full sync done: ${thousands(n.total)} SiPass entities in ${shortDuration(n.ms)}` };
    case 'alarm':
      return { at, kind: 'alarm', text: `${n.retrigger ? 'retriggered' : 'raised'}: ${n.alarmName} (${n.occurrenceId}) notified ${names(n.notified)}` };
    case 'event':
      return { at, kind: 'event', text: `custom event "${n.name}"${n.native ? ` + native event ${n.native}` : ''}` };
  }
}

/** A server event worth a log line (live messages are shown through the role's notices). */
export function serverEntry(e: ServerEvent, at: number): LogEntry | null {
  switch (e.kind) {
    case 'listening':
      return { at, kind: 'server', text: `listening on ${e.host}:${e.port}` };
    case 'stopped':
      return { at, kind: 'server', text: 'stopped' };
    case 'connection':
      return { at, kind: 'server', text: `connection ${e.session} from ${e.remote}` };
    case 'closed':
      return { at, kind: 'server', text: `connection ${e.session} closed: ${e.reason}` };
    case 'live':
    case 'limit':
      // A limit's connection logs its own 'closed' line, which names the limit.
      return null;
    case 'refused':
      return { at, kind: 'server', text: refusedLine(e) };
    case 'acceptError':
      return { at, kind: 'server', text: `accept failed: ${e.code}: ${e.message}` };
  }
}

export function logLine(e: LogEntry): string {
  return `${clockTime(e.at)} ${e.kind.padEnd(6)} ${e.text}`;
}

// --- Server pane ---------------------------------------------------------------------------

export interface ServerFaults {
  blocked: boolean;
  slowRate: number | null;
}

export interface FrameRate {
  at: number;
  framesOut: number;
  fps: number;
}

/** Frames per second between two samples (keeps the last rate if they are too close). */
export function nextFrameRate(prev: FrameRate | null, framesOut: number, at: number): FrameRate {
  if (!prev) return { at, framesOut, fps: 0 };
  const dt = at - prev.at;
  if (dt < 250) return prev;
  return { at, framesOut, fps: Math.max(0, ((framesOut - prev.framesOut) / dt) * 1000) };
}

export function activeFaults(stats: ServerStats, slowRate: number | null): string[] {
  const out: string[] = [];
  if (!stats.listening) out.push('stopped');
  if (stats.blocked) out.push('port blocked');
  if (slowRate !== null) out.push(`slow sync ${thousands(slowRate)}/s`);
  // Wire faults injected with addFault (scenario steps, `serve --fault`).
  out.push(...(stats.faults ?? []));
  return out;
}

/** R15: the proxy's diagnostic server and web interface ports, part of the server's configuration. */
export interface DiagnosticPorts {
  diagnosticPort: number;
  diagnosticWebPort: number;
}

export function serverLines(stats: ServerStats | null, fps: number, slowRate: number | null, width = Infinity, ports?: Partial<DiagnosticPorts>): string[] {
  const diag = ports && (ports.diagnosticPort !== undefined || ports.diagnosticWebPort !== undefined) ? diagnosticLine(ports, width) : [];
  if (!stats) return ['attached to an external server:', 'server stats are not visible', 'and its faults are disabled', ...diag];
  const f = activeFaults(stats, slowRate);
  const listening = `${stats.listening ? 'Listening' : 'Not listening'} on ${stats.host}:${stats.port}`;
  const wide = [
    listening,
    `Connections: ${stats.connections}`,
    `Active faults: ${f.length ? f.join(', ') : 'none'}`,
    `Frames/s: ${thousands(fps)}   Frames out: ${thousands(stats.framesOut)}`,
    `Active alarms: ${stats.activeAlarms}   Live seq: ${stats.seq}`,
  ];
  if (wide.every((l) => l.length <= width)) return [...wide, ...diag];
  // Narrow pane: the address stays whole, the words give way, two counts share a line.
  return [
    listening.length <= width ? listening : `${stats.listening ? 'Listening' : 'Closed'}: ${stats.host}:${stats.port}`,
    `Connections: ${stats.connections}  Alarms: ${stats.activeAlarms}`,
    ...wrap(`Faults: ${f.length ? f.join(', ') : 'none'}`, width),
    `Frames: ${thousands(stats.framesOut)} (${thousands(fps)}/s)`,
    `Live seq: ${stats.seq}`,
    ...diag,
  ];
}

function diagnosticLine(p: Partial<DiagnosticPorts>, width: number): string[] {
  const parts = [p.diagnosticPort !== undefined ? String(p.diagnosticPort) : null, p.diagnosticWebPort !== undefined ? `web ${p.diagnosticWebPort}` : null].filter((x) => x !== null);
  const wide = `Diagnostic ports: ${parts.join(', ')}`;
  return wide.length <= width ? [wide] : wrap(`Diag: ${parts.join(', ')}`, width);
}

// --- On quit ---------------------------------------------------------------------------------

/** The lines printed once the terminal is restored: the role's state and its last sync. */
export function quitSummary(s: RoleSnapshot): string[] {
  const out = [`role ${s.state}${s.lastError ? ` (last error ${s.lastError.code})` : ''}`];
  if (s.lastSync) {
    const n = Object.values(s.lastSync.counts).reduce((a, b) => a + (b ?? 0), 0);
    const ms = s.lastSync.endedAt - s.lastSync.startedAt;
    out.push(`last ${s.lastSync.mode} sync: ${n} entities in ${shortDuration(ms)} (${ms} ms)`);
  }
  return out;
}

// --- Fault menu, help ---------------------------------------------------------------------

export interface MenuItem {
  action: KeyAction;
  key: string;
  label: string;
  enabled: boolean;
  why: string;
}

export interface FaultContext {
  inProcess: boolean;
  blocked: boolean;
  slow: boolean;
  listening: boolean;
  roleConnected: boolean;
}

export function faultMenu(c: FaultContext): MenuItem[] {
  const noServer = c.inProcess ? '' : 'needs the in-process server (not with --host/--port)';
  const item = (action: KeyAction, key: string, label: string, why: string): MenuItem => ({ action, key, label, enabled: why === '', why });
  return [
    item('reset', 'r', 'Reset every connection', noServer || (c.listening ? '' : 'server not listening')),
    item('block', 'b', c.blocked ? 'Unblock the port' : 'Block the port (drop packets)', noServer),
    item('garbage', 'g', "Garbage: random bytes into the role's connection", c.roleConnected ? '' : 'role has no open connection'),
    item('slow', 'w', c.slow ? 'Slow sync off' : 'Slow sync (2,000 entities/s)', noServer),
    item('restart', 't', 'Restart the server (same port)', noServer),
    item('serverPort', 'o', "Change the server's port", noServer),
  ];
}

export function menuLines(items: readonly MenuItem[]): string[] {
  return items.map((i) => `${i.key}  ${i.label}${i.enabled ? '' : `  (disabled: ${i.why})`}`);
}

export function helpLines(): string[] {
  const w = Math.max(...KEYMAP.map((k) => k.label.length));
  return KEYMAP.map((k) => `${k.label.padEnd(w)}  ${k.what}`);
}
