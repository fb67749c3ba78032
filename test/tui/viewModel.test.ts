import t from 'tap';
import type { RoleSnapshot } from '../../plugin/pluginRole.js';
import type { AlarmEntity, ScType } from '../../plugin/securitycenter/scTypes.js';
import type { AlarmTriggering } from '../../plugin/securitycenter/alarmMonitor.js';
import { SC_TYPES } from '../../plugin/securitycenter/scTypes.js';
import { Directory } from '../../plugin/securitycenter/directory.js';
import { validateConfig } from '../../plugin/config/validateConfig.js';
import type { ServerStats } from '../../simulator/sipassServer.js';
import { bar, clip, formatTable, pack, shortDuration, thousands } from '../../tui/format.js';
import { KEYMAP } from '../../tui/keymap.js';
import { formFromConfig, formInput, formKey, formLines, withProblems } from '../../tui/propertiesForm.js';
import {
  alarmRows,
  alarmsTable,
  browserItems,
  faultMenu,
  helpLines,
  logLine,
  menuLines,
  nextFrameRate,
  noticeEntry,
  propertiesLines,
  serverEntry,
  serverLines,
  statePane,
  syncPane,
} from '../../tui/viewModel.js';

const NOW = new Date(2026, 0, 2, 10, 0, 0).getTime();
const config = { host: 'sipass.local', port: 5645, alarmRecipients: ['Guards'], alarmPartitions: ['Headquarters', 'Lobby'], credentialSync: true };
const zero = Object.fromEntries(SC_TYPES.map((x) => [x, 0])) as Record<ScType, number>;

function snap(over: Partial<RoleSnapshot> = {}): RoleSnapshot {
  return {
    role: 'SiPass plugin',
    state: 'ready',
    detail: 'ready',
    health: 'ok',
    config,
    attempt: 0,
    lastError: null,
    nextRetryAt: null,
    progress: null,
    lastSync: null,
    connectedTo: 'sipass.local:5645',
    counts: zero,
    digest: 'd',
    serverDigest: 'd',
    lastSeq: 0,
    pendingScAcks: 0,
    framesIn: 0,
    bytesIn: 0,
    totalBytesIn: 0,
    totalBytesOut: 0,
    ...over,
  };
}

t.test('state pane: the current state is bracketed, the others are not', async (t) => {
  const p = statePane(snap(), NOW);
  t.equal(p.line, 'unconfigured > connecting > syncing > [ready]');
  t.same(
    p.states.filter((s) => s.current).map((s) => s.name),
    ['ready'],
  );
  t.match(p.lines.join('\n'), /Last error: none/);
  t.match(p.lines.join('\n'), /Next retry: -/);
});

t.test('state pane while connecting: last error and the next retry countdown', async (t) => {
  const p = statePane(
    snap({
      state: 'connecting',
      detail: 'connecting.backoff',
      health: 'error',
      attempt: 2,
      connectedTo: null,
      lastError: { code: 'ROLE_CONNECT_REFUSED', message: 'connection refused on sipass.local:5645', at: NOW - 100 },
      nextRetryAt: NOW + 1500,
    }),
    NOW,
  );
  t.equal(p.line, 'unconfigured > [connecting] > syncing > ready');
  t.equal(p.health, 'error');
  const text = p.lines.join('\n');
  t.match(text, /Attempt: 2 {3}Next retry: in 1\.5s \(10:00:01\.500\)/);
  t.match(text, /Last error: ROLE_CONNECT_REFUSED at 09:59:59\.900/);
  t.match(text, /connection refused on sipass\.local:5645/);
});

t.test('properties pane: host, port, alarm recipients, alarm partitions', async (t) => {
  t.same(propertiesLines(config), [
    'Host:             sipass.local',
    'Port:             5645',
    'Alarm recipients: Guards',
    'Alarm partitions: Headquarters, Lobby',
    'Credential sync:  on',
  ]);
  t.match(propertiesLines(null)[0], /not applied/);
  t.match(propertiesLines({ ...config, alarmRecipients: [] })[2], /Alarm recipients: -$/);
});

t.test('sync pane: per-type progress, rate and ETA while syncing; last sync when done', async (t) => {
  const progress = {
    mode: 'full' as const,
    startedAt: NOW - 2000,
    perType: { cardholders: { done: 500_000, total: 1_000_000 }, doorsets: { done: 0, total: 60 } },
    done: 500_000,
    total: 1_000_060,
    rate: 250_000,
    etaMs: 2000,
  };
  const running = syncPane(snap({ state: 'syncing', detail: 'syncing', progress }));
  t.equal(running.title, 'Sync (full, running)');
  t.equal(running.summary[0], '500,000/1,000,060  rate 250,000/s  ETA 2.0s');
  t.same(
    running.rows.map((r) => r.type),
    ['cardholders', 'doorsets'],
    'SiPass type order, only types in the sync',
  );
  t.match(running.rows[0]?.text, /cardholders\s+#####-----\s+500,000\/1,000,000\s+50%/);
  t.match(running.rows[1]?.text, /doorsets\s+----------\s+0\/60\s+0%/);

  const done = syncPane(snap({ progress: { ...progress, done: 1_000_060 }, lastSync: { mode: 'full', startedAt: NOW - 4000, endedAt: NOW, counts: { cardholders: 1_000_000, doorsets: 60 } } }));
  t.equal(done.title, 'Sync');
  t.match(done.summary.join('\n'), /Last full sync: 1,000,060 entities in 4\.0s \(250,015\/s\) at 10:00:00\.000/);
  t.same(syncPane(snap()).summary, ['No sync yet']);
  t.same(syncPane(snap({ state: 'syncing', detail: 'syncing' })).summary, ['waiting for the server to begin the sync']);
});

t.test('entity browser: SC types with counts, expandable to entities', async (t) => {
  const nodes = [
    {
      name: 'SiPass plugin',
      kind: 'role' as const,
      count: 305,
      children: [
        { name: 'alarm', kind: 'type' as const, count: 5 },
        { name: 'cardholder', kind: 'type' as const, count: 300 },
      ],
    },
  ];
  const asked: string[] = [];
  const entitiesOf = (role: string, type: ScType, limit: number): Array<{ id: string; name: string; sipassId: string }> => {
    asked.push(`${role}/${type}/${limit}`);
    return [
      { id: 'SC-7', name: 'Ann Lee', sipassId: 'CH-1' },
      { id: 'SC-8', name: 'Bo Ray', sipassId: 'CH-2' },
    ];
  };
  const closed = browserItems(nodes, new Set(), entitiesOf);
  t.same(
    closed.map((i) => i.text),
    ['SiPass plugin (305 entities)', `+ ${'Alarms'.padEnd(26)} ${'5'.padStart(9)}`, `+ ${'Cardholders'.padEnd(26)} ${'300'.padStart(9)}`],
  );
  t.same(asked, [], 'closed nodes never walk the store');
  const open = browserItems(nodes, new Set(['SiPass plugin/cardholder']), entitiesOf, 2);
  t.same(asked, ['SiPass plugin/cardholder/2']);
  t.match(open[2]?.text, /^- Cardholders/);
  t.ok(open[2]?.expanded);
  t.same(
    open.slice(3).map((i) => i.text.trim()),
    ['SC-7  Ann Lee  (SiPass CH-1)', 'SC-8  Bo Ray  (SiPass CH-2)', '… 298 more'],
  );
  t.same(browserItems([], new Set(), entitiesOf)[0]?.text, 'no plugin role');
});

t.test('alarms table: priority order, recipients, partitions, last triggered, who was notified', async (t) => {
  const alarm = (id: string, name: string, priority: number, recipients: string[]): AlarmEntity => ({
    id,
    type: 'alarm',
    name,
    sipassType: 'alarmClasses',
    sipassId: `AC-${id}`,
    fields: { id: `AC-${id}`, name },
    priority,
    recipients,
    partitions: ['Headquarters'],
    createdBy: 'SiPass plugin',
  });
  const alarms = [alarm('SC-1', 'Door held open', 40, ['Guards']), alarm('SC-2', 'Duress', 1, [])];
  const monitor: AlarmTriggering[] = [
    { n: 1, at: NOW - 5000, alarmId: 'SC-1', alarmName: 'Door held open', occurrenceId: 'OCC-1', kind: 'raised', notified: ['alice'], acknowledged: null },
    { n: 2, at: NOW, alarmId: 'SC-1', alarmName: 'Door held open', occurrenceId: 'OCC-2', kind: 'raised', notified: ['alice', 'bob'], acknowledged: { by: 'op', from: 'sc', at: NOW } },
  ];
  t.same(alarmRows(alarms, monitor), [
    ['Duress', '1', '-', 'Headquarters', '-', '-'],
    ['Door held open', '40', 'Guards', 'Headquarters', '10:00:00 ack', 'alice, bob'],
  ]);
  const table = alarmsTable(alarms, monitor, 200);
  t.match(table[0], /^Alarm\s+Pri\s+Recipients\s+Partitions\s+Last trigger\s+Notified$/);
  t.equal(table.length, 3);
  for (const line of alarmsTable(alarms, monitor, 50)) t.ok(line.length <= 50, `fits 50 columns: ${line}`);
  t.same(alarmsTable([], [], 80), ['no alarm entities yet']);
});

t.test('event log lines: state changes, errors, syncs, alarms, custom and native events, server', async (t) => {
  const line = (n: Parameters<typeof noticeEntry>[0]): string => logLine(noticeEntry(n, NOW));
  t.equal(line({ kind: 'state', state: 'connecting', detail: 'connecting.dialing', at: NOW, error: null }), '10:00:00.000 state  connecting (connecting.dialing)');
  t.equal(line({ kind: 'error', error: { code: 'ROLE_CONNECTION_RESET', message: 'reset', at: NOW } }), '10:00:00.000 error  ROLE_CONNECTION_RESET: reset');
  t.equal(line({ kind: 'syncDone', at: NOW, ms: 1234, total: 1_000_000 }), '10:00:00.000 sync   full sync done: 1,000,000 SiPass entities in 1.2s');
  t.equal(line({ kind: 'alarm', occurrenceId: 'OCC-1', alarmName: 'Duress', notified: [], retrigger: true }), '10:00:00.000 alarm  retriggered: Duress (OCC-1) notified -');
  t.equal(line({ kind: 'event', name: 'Door forced', native: 'DoorForced' }), '10:00:00.000 event  custom event "Door forced" + native event DoorForced');
  t.equal(line({ kind: 'event', name: 'Badge read', native: null }), '10:00:00.000 event  custom event "Badge read"');
  t.equal(logLine(serverEntry({ kind: 'connection', session: 3, remote: '127.0.0.1:5' }, NOW)!), '10:00:00.000 server connection 3 from 127.0.0.1:5');
  t.match(serverEntry({ kind: 'closed', session: 3, reason: 'bye' }, NOW)?.text, /connection 3 closed: bye/);
  t.match(serverEntry({ kind: 'listening', host: 'h', port: 1 }, NOW)?.text, /listening on h:1/);
  t.equal(serverEntry({ kind: 'stopped' }, NOW)?.text, 'stopped');
  t.equal(serverEntry({ kind: 'live', message: { t: 'alarmClear', seq: 1, occurrenceId: 'x' } }, NOW), null);
});

t.test('server pane: connections, active faults, frames per second', async (t) => {
  const stats: ServerStats = { listening: true, host: '127.0.0.1', port: 4000, blocked: true, connections: 2, sessions: [], seq: 9, framesOut: 1000, bytesOut: 0, bytesIn: 0, activeAlarms: 1 };
  const lines = serverLines(stats, 1234.4, 2000);
  t.same(lines, ['Listening on 127.0.0.1:4000', 'Connections: 2', 'Active faults: port blocked, slow sync 2,000/s', 'Frames/s: 1,234   Frames out: 1,000', 'Active alarms: 1   Live seq: 9']);
  t.match(serverLines({ ...stats, listening: false, blocked: false }, 0, null)[2], /Active faults: stopped$/);
  t.match(serverLines({ ...stats, blocked: false }, 0, null)[2], /Active faults: none$/);
  t.match(serverLines(null, 0, null).join(' '), /external server/);
  let r = nextFrameRate(null, 100, 0);
  t.equal(r.fps, 0);
  t.equal(nextFrameRate(r, 200, 100), r, 'too close: keeps the last rate');
  r = nextFrameRate(r, 600, 500);
  t.equal(r.fps, 1000);
});

t.test('fault menu: what the in-process server can do, disabled when attached', async (t) => {
  const local = faultMenu({ inProcess: true, blocked: false, slow: false, listening: true, roleConnected: true });
  t.same(
    local.map((i) => i.key),
    ['r', 'b', 'g', 'w', 't', 'o'],
  );
  t.ok(local.every((i) => i.enabled));
  t.match(faultMenu({ inProcess: true, blocked: true, slow: true, listening: true, roleConnected: true })[1]?.label, /Unblock/);
  const attached = faultMenu({ inProcess: false, blocked: false, slow: false, listening: false, roleConnected: false });
  t.same(
    attached.filter((i) => i.enabled).map((i) => i.key),
    [],
  );
  t.match(menuLines(attached)[0], /disabled: needs the in-process server/);
  t.match(menuLines(attached)[2], /disabled: role has no open connection/);
});

t.test('help lists every key the dashboard binds', async (t) => {
  const help = helpLines();
  t.equal(help.length, KEYMAP.length);
  for (const k of KEYMAP) t.ok(help.some((l) => l.startsWith(k.label)), k.action);
  const all = KEYMAP.flatMap((k) => k.keys);
  t.equal(new Set(all).size, all.length, 'no key bound twice');
});

t.test('properties form: edit, invalid fields in place, input for role.apply', async (t) => {
  let f = formFromConfig(config);
  t.same(f.values, { host: 'sipass.local', port: '5645', alarmRecipients: 'Guards', alarmPartitions: 'Headquarters, Lobby', credentialSync: 'yes' });
  f = formKey(f, { name: 'tab' }).form;
  f = formKey(f, { name: 'u', ch: '\u0015', ctrl: true }).form;
  for (const ch of '99999') f = formKey(f, { name: ch, ch }).form;
  t.equal(f.values.port, '99999');
  t.equal(formKey(f, { name: 'enter', ch: '\r' }).action, 'apply');
  t.equal(formKey(f, { name: 'return', ch: '\r' }).action, 'none', 'blessed sends return then enter: applied once');
  t.equal(formKey(f, { name: 'escape' }).action, 'cancel');
  const input = formInput(f);
  t.same(input, { host: 'sipass.local', port: '99999', alarmRecipients: ['Guards'], alarmPartitions: ['Headquarters', 'Lobby'], credentialSync: true });
  const dir = new Directory();
  dir.addGroup('Guards', []);
  dir.addPartition('Headquarters');
  dir.addPartition('Lobby');
  const v = validateConfig(input, dir, config);
  t.notOk(v.ok);
  if (v.ok) return;
  f = withProblems(f, v.problems);
  const lines = formLines(f);
  const portLine = lines.findIndex((l) => l.includes('Port:'));
  t.match(lines[portLine], /^> Port:\s+\[99999_\]$/);
  t.match(lines[portLine + 1], /! Port: "99999" must be a whole number from 1 to 65535/, 'the error sits under its field');
  t.match(lines.at(-1), /Apply rejected, nothing changed \(1 problem\)/);
  // Credential sync toggles with space; Up wraps around.
  let g = formFromConfig(config);
  g = formKey(g, { name: 'up' }).form;
  g = formKey(g, { name: 'space', ch: ' ' }).form;
  t.equal(g.values.credentialSync, 'no');
  t.equal(formInput(g).credentialSync, false);
  g = formKey(g, { name: 'backspace' }).form;
  g = formKey(g, { name: 'x', ch: 'x' }).form;
  t.equal(formInput(g).credentialSync, 'nx', 'anything else goes to the role, which rejects it');
  t.same(formFromConfig(null).values.host, '');
});

t.test('formatters', async (t) => {
  t.equal(thousands(1234567.4), '1,234,567');
  t.equal(shortDuration(850), '850ms');
  t.equal(shortDuration(125_000), '2m05s');
  t.equal(clip('abcdef', 4), 'abc…');
  t.equal(clip('abc', 0), '');
  t.equal(bar(1, 4, 8), '##------');
  t.equal(bar(0, 0, 2), '--');
  t.same(
    pack(['aa', 'bb', 'cc'], (s) => s.length, 3, 7),
    [['aa', 'bb'], ['cc']],
  );
  t.same(formatTable(['A', 'B'], [['x', 'y']], 80), ['A  B', 'x  y']);
});
