/**
 * At 80x24 the panes are narrow: what a user reads wraps or gives way in its
 * label, never in its value (issue 10 item 11). Pure view-model functions.
 */
import t from 'tap';
import type { RoleSnapshot } from '../../plugin/pluginRole.js';
import type { AlarmEntity } from '../../plugin/securitycenter/scTypes.js';
import type { ServerStats } from '../../simulator/sipassServer.js';
import { wrap, wrapLines } from '../../tui/format.js';
import { readPort, portPromptLines } from '../../tui/portPrompt.js';
import { alarmsTable, browserItems, quitSummary, serverLines, syncPane } from '../../tui/viewModel.js';

t.test('wrap: words kept whole, continuation indented, nothing lost', async (t) => {
  const line = '05:46:49.895 server fake SiPass server listening on 127.0.0.1:41651 (site "Headquarters", 665 entities)';
  const lines = wrap(line, 30, '    ');
  for (const l of lines) t.ok(l.length <= 30, l);
  t.equal(lines.map((l) => l.trim()).join(' '), line, 'the words, in order');
  t.ok(lines.slice(1).every((l) => l.startsWith('    ')), 'hanging indent');
  t.same(wrap('short', 30), ['short']);
  const long = wrap('x'.repeat(45), 20);
  t.ok(long.every((l) => l.length <= 20));
  t.equal(long.join('').replace(/ /g, ''), 'x'.repeat(45), 'a word longer than a line is split, not clipped');
  t.same(wrapLines(['a b', 'c'], 10), ['a b', 'c']);
});

t.test('sync rows fit the pane: the bar gives way, the counts and percent never', async (t) => {
  const progress = {
    mode: 'full' as const,
    startedAt: 0,
    perType: { alarmClasses: { done: 5, total: 5 }, cardholders: { done: 120, total: 240 } },
    done: 125,
    total: 245,
    rate: 100,
    etaMs: 1000,
  };
  const s = { state: 'syncing', detail: 'syncing', progress, lastSync: null } as unknown as RoleSnapshot;
  for (const width of [38, 30, 25]) {
    const rows = syncPane(s, 10, width).rows;
    for (const r of rows) t.ok(r.text.length <= width, `${width}: ${r.text}`);
    t.match(rows[1]?.text, /^cardholders .*120\/240 +50%$/);
  }
  t.match(syncPane(s, 10, 38).rows[1]?.text, /#+-+/, 'a bar when there is room');
  t.notMatch(syncPane(s, 10, 25).rows[1]?.text, /[#-]{2}/, 'no bar below 4 cells');
});

t.test('entity browser: the count is whole in a 37-column list; the label is what gives way', async (t) => {
  const nodes = [{ name: 'SiPass plugin', kind: 'role' as const, count: 1_000_250, children: [{ name: 'intrusionArea', kind: 'type' as const, count: 10 }, { name: 'cardholder', kind: 'type' as const, count: 1_000_000 }] }];
  const none = (): [] => [];
  const items = browserItems(nodes, new Set(), none, 20, 37);
  t.equal(items[1]?.text, '+ Intrusion detection areas        10');
  t.equal(items[2]?.text, '+ Cardholders               1,000,000');
  t.ok(items.slice(1).every((i) => i.text.length <= 37));
  const narrow = browserItems(nodes, new Set(), none, 20, 20);
  t.match(narrow[2]?.text, /1,000,000$/);
  t.ok(narrow.slice(1).every((i) => i.text.length <= 20));
});

t.test('alarms: a table when it fits, else one wrapped block per alarm with recipients and partitions whole', async (t) => {
  const alarm: AlarmEntity = { id: 'SC-1', type: 'alarm', name: 'Controller power failure', sipassType: 'alarmClasses', sipassId: 'AC-POWER', fields: {}, priority: 20, recipients: ['Guards', 'Night shift'], partitions: ['Headquarters'], createdBy: 'SiPass plugin' };
  const monitor = [{ n: 1, at: 0, alarmId: 'SC-1', alarmName: alarm.name, occurrenceId: 'OCC-1', kind: 'raised' as const, notified: ['alice', 'bob'], acknowledged: null }];
  const wide = alarmsTable([alarm], monitor, 120);
  t.match(wide[0], /^Alarm +Pri +Recipients +Partitions +Last trigger +Notified$/);
  const narrow = alarmsTable([alarm], monitor, 46);
  t.notOk(narrow.join('\n').includes('…'), narrow.join('\n'));
  for (const l of narrow) t.ok(l.length <= 46, l);
  const text = narrow.map((l) => l.trim()).join(' ');
  t.match(text, 'Controller power failure (pri 20) to Guards, Night shift in Headquarters');
  t.match(text, /notified alice, bob/);
});

t.test("server pane: the proxy's diagnostic ports (R15), wide and narrow; the address whole", async (t) => {
  const stats = { listening: true, host: '127.0.0.1', port: 65535, connections: 1, framesOut: 10, activeAlarms: 0, seq: 3, blocked: false, faults: ['latency 200ms', 'garbage'] } as unknown as ServerStats;
  const ports = { diagnosticPort: 4510, diagnosticWebPort: 6100 };
  t.equal(serverLines(stats, 0, null, Infinity, ports).at(-1), 'Diagnostic ports: 4510, web 6100');
  const narrow = serverLines(stats, 0, null, 26, ports);
  t.equal(narrow[0], 'Listening: 127.0.0.1:65535');
  t.equal(narrow.at(-1), 'Diag: 4510, web 6100');
  for (const l of narrow) t.ok(l.length <= 26, l);
  t.ok(narrow.length <= 7);
  t.notOk(serverLines(stats, 0, null, 26).some((l) => l.startsWith('Diag')), 'no line without the ports');
  t.match(serverLines(null, 0, null, 40, ports).join('\n'), /Diagnostic ports: 4510, web 6100/, 'attached: the scenario says which');
});

t.test('port prompt and the quit summary', async (t) => {
  t.same(readPort(' 0 '), { ok: true, port: 0 });
  t.same(readPort('5645'), { ok: true, port: 5645 });
  const bad = readPort('99999');
  t.equal(bad.ok, false);
  if (!bad.ok) t.match(bad.error, /^Port: "99999" .* \(or 0 for any free port\)$/);
  t.match(portPromptLines('12', 'bad', 5645).join('\n'), /now 5645:\n\n\[12_\]\n! bad/);
  t.same(quitSummary({ state: 'ready', lastError: null, lastSync: { mode: 'full', startedAt: 0, endedAt: 1500, counts: { cardholders: 10, doorsets: 5 } } } as unknown as RoleSnapshot), ['role ready', 'last full sync: 15 entities in 1.5s (1500 ms)']);
  t.same(quitSummary({ state: 'connecting', lastError: { code: 'X', message: 'm', at: 0 }, lastSync: null } as unknown as RoleSnapshot), ['role connecting (last error X)']);
});
