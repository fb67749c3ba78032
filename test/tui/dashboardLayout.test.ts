import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { dashboardLayout, fitLabel, MIN_PROPERTIES_WIDTH, MIN_SERVER_WIDTH, type Rect } from '../../tui/dashboardLayout.js';
import { KEYMAP } from '../../tui/keymap.js';
import { helpLines, propertiesLines, serverLines } from '../../tui/viewModel.js';
import type { PluginConfig } from '../../plugin/config/pluginConfig.js';
import type { ServerStats } from '../../simulator/sipassServer.js';

const cells = (r: Rect): string[] => {
  const out: string[] = [];
  for (let y = r.top; y < r.top + r.height; y++) for (let x = r.left; x < r.left + r.width; x++) out.push(`${x},${y}`);
  return out;
};

for (const [cols, rows] of [
  [80, 24],
  [120, 40],
  [200, 60],
] as const) {
  for (const withServer of [true, false]) {
    t.test(`layout at ${cols}x${rows}${withServer ? '' : ' (attached)'}: panes tile the screen, none overlaps`, async (t) => {
      const l = dashboardLayout(cols, rows, withServer);
      const panes = Object.entries(l).filter((e): e is [string, Rect] => e[1] !== null);
      const seen = new Map<string, string>();
      const overlaps: string[] = [];
      for (const [name, r] of panes) {
        t.ok(r.left + r.width <= cols && r.top + r.height <= rows, `${name} is on the screen`);
        for (const c of cells(r)) {
          const other = seen.get(c);
          if (other !== undefined) overlaps.push(`${name}/${other} at ${c}`);
          seen.set(c, name);
        }
      }
      t.same(overlaps.slice(0, 5), [], 'no two panes share a cell');
      t.equal(seen.size, cols * rows, 'every cell belongs to one pane');
      t.ok(l.properties.width >= MIN_PROPERTIES_WIDTH, 'the Properties pane is wide enough for Host and Port');
      if (l.server) t.ok(l.server.width >= MIN_SERVER_WIDTH, "the server pane is wide enough for its address");
    });
  }
}

t.test('at 80 columns the Properties rows and the server address stay whole', async (t) => {
  const l = dashboardLayout(80, 24, true);
  const config: PluginConfig = { host: '127.0.0.1', port: 65535, alarmRecipients: ['Guards'], alarmPartitions: ['Headquarters'], credentialSync: true };
  const props = propertiesLines(config, l.properties.width - 2);
  t.equal(props[0], 'Host:       127.0.0.1');
  t.equal(props[1], 'Port:       65535');
  for (const line of props.slice(0, 2)) t.ok(line.length <= l.properties.width - 2, line);
  t.match(propertiesLines(config)[2], /^Alarm recipients: +Guards$/, 'wide panes keep the full labels');
  const stats = { listening: true, host: '127.0.0.1', port: 65535, connections: 1, framesOut: 0, activeAlarms: 0, seq: 0, blocked: false, faults: [] } as unknown as ServerStats;
  const first = serverLines(stats, 0, null, (l.server?.width ?? 0) - 2)[0] ?? '';
  t.equal(first, 'Listening: 127.0.0.1:65535');
  t.ok(first.length <= (l.server?.width ?? 0) - 2);
});

t.test('a pane label fits its border (blessed wraps a longer one over the first row)', async (t) => {
  t.equal(fitLabel('Properties (p: edit)', 24), ' Properties ', 'the key hint gives way first');
  t.equal(fitLabel('Properties (p: edit)', 30), ' Properties (p: edit) ');
  t.equal(fitLabel('Entity browser (Enter/click: expand)', 12), ' Enti… ');
  t.equal(fitLabel('Alarms', 40), ' Alarms ');
  t.ok(fitLabel('x'.repeat(200), 24).length <= 24 - 3);
});

t.test('? lists every key the README documents, each line within an 80-column overlay', async (t) => {
  const readme = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../../README.md'), 'utf8');
  const section = /## Dashboard[\s\S]*?Keys:([\s\S]*?)When stdout/.exec(readme)?.[1] ?? '';
  const documented = [...section.matchAll(/`([^`]+)`/g)].flatMap((m) => (m[1] ?? '').split('/'));
  t.ok(documented.length >= 10, `README keys: ${documented.join(' ')}`);
  const bound = new Set(KEYMAP.flatMap((k) => k.keys));
  for (const key of documented) t.ok(bound.has(key), `${key} is bound and listed by ?`);
  const help = helpLines();
  t.equal(help.length, KEYMAP.length);
  for (const line of help) t.ok(line.length <= 76, `fits the overlay at 80 columns: ${line}`);
});
