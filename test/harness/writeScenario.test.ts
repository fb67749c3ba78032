import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { loadScenario } from '../../harness/scenario/loadScenario.js';
import type { Scenario, Step } from '../../harness/scenario/scenario.js';
import { writeScenario } from '../../harness/scenario/writeScenario.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

/** A scenario without file positions (what must survive a write + load). */
function strip(s: Scenario): unknown {
  return { ...s, file: undefined, steps: s.steps.map(({ at: _at, ...rest }: Step) => rest) };
}

async function roundTrip(t: { same(a: unknown, b: unknown, msg: string): unknown }, s: Scenario, header: string[] = []): Promise<Scenario> {
  const dir = mkdtempSync(path.join(tmpdir(), 'write-scenario-'));
  const file = path.join(dir, 'out.yaml');
  writeFileSync(file, writeScenario(s, header));
  const back = await loadScenario(file);
  t.same(strip(back), strip(s), `${s.name}: write -> load gives the same scenario`);
  return back;
}

const at = { file: 'x', line: 1, column: 1 };

t.test('every step kind and every top-level key survives write -> loadScenario', async (t) => {
  const s: Scenario = {
    file: 'x',
    name: 'Everything',
    description: 'A: with "quotes", colons and # hashes',
    rules: ['R4', 'R5'],
    tags: ['property'],
    seed: 42,
    population: { seed: 42, name: 'Site', alarmClasses: [{ id: 'AC-FORCED', name: 'Door forced open', priority: 10 }], cardholders: 3, eventTypes: 2 },
    server: { host: 'sipass01.corp.example', names: ['10.0.0.1'], port: 5646, syncRate: 100, batchSize: 50 },
    securityCenter: { users: ['alice', 'bob'], groups: { Guards: ['alice'], 'Night shift': ['bob', 'Guards'] }, partitions: ['HQ', 'Lobby'], role: 'SiPass plugin', alarms: [{ name: 'Fire drill', recipients: ['alice'], partitions: ['Lobby'] }] },
    plugin: { host: 'sipass01.corp.example', port: 5646, alarmRecipients: ['Guards'], alarmPartitions: [], credentialSync: true },
    invariants: ['readyMeansComplete', 'occurrencesOnce'],
    steps: [
      { kind: 'apply', input: { alarmRecipients: [] }, at, title: 'Empty list' },
      { kind: 'apply', input: { port: '5645.5', host: 'https://x' }, rejects: ['port', 'host'], at },
      { kind: 'apply', role: 'SiPass East', input: { host: '127.0.0.1' }, rejects: ['role'], at },
      { kind: 'apply', input: { port: '5645' }, rejects: ['port'], at },
      { kind: 'manualSync', at },
      { kind: 'editAlarm', alarm: 'AC-FORCED', addRecipient: 'bob', at },
      { kind: 'editAlarm', alarm: 'AC-FORCED', removePartition: 'Lobby', at },
      { kind: 'acknowledge', occurrence: 'OCC-1', user: 'alice', at },
      { kind: 'createUser', name: 'frank', at },
      { kind: 'createGroup', name: 'Relief', members: ['frank'], at },
      { kind: 'createPartition', name: 'Basement', at },
      { kind: 'createAlarm', name: 'Visitor overstay', recipients: [], partitions: ['HQ'], at },
      { kind: 'raiseAlarm', alarmClass: 'AC-FORCED', occurrence: 'OCC-1', at },
      { kind: 'raiseAlarm', alarmClass: 'AC-FORCED', at },
      { kind: 'sipassAcknowledge', occurrence: 'OCC-1', by: 'Night desk', at },
      { kind: 'clearAlarm', occurrence: 'OCC-1', at },
      { kind: 'fireEvent', eventType: 'ET-1', source: 'DS-1', at },
      { kind: 'addEntity', type: 'alarmClasses', entity: { id: 'AC-100', name: 'New', priority: 3, active: true, note: null }, at },
      { kind: 'updateEntity', type: 'cardholders', id: 'CH-1', fields: { name: 'Renamed', badge: 7 }, at },
      { kind: 'deleteEntity', type: 'cardholders', id: 'CH-2', at },
      { kind: 'serverPort', port: 5645, at },
      { kind: 'stopServer', at },
      { kind: 'startServer', at },
      { kind: 'restartServer', at },
      { kind: 'restartServer', population: { seed: 9, cardholders: 4 }, at },
      { kind: 'blockPort', at },
      { kind: 'unblockPort', at },
      { kind: 'resetConnections', at },
      { kind: 'wait', ms: 90_500, at },
      { kind: 'expect', expect: { state: 'ready', within: 30_000, counts: { cardholder: 3 }, converged: true }, at },
      { kind: 'expect', expect: { alarm: { alarm: 'AC-FORCED', recipients: [], partitions: ['HQ'] }, lastError: null }, at },
      { kind: 'expect', expect: { monitor: { occurrence: 'OCC-1', count: 1, kind: 'raised', notified: [] }, lastError: { code: 'ROLE_CONNECT_REFUSED', message: 'refused on 127.0.0.1:5646' } }, at },
      { kind: 'expect', expect: { entity: { type: 'cardholder', id: 'CH-1', fields: { badge: 7 } }, events: { custom: { 'Access granted': 1 } }, config: { alarmPartitions: [] }, sipass: { activeAlarms: 0 } }, at },
    ],
  };
  await roundTrip(t, s, ['a header comment', 'spanning\ntwo lines']);
});

t.test('defaults and a scenario without a role round-trip', async (t) => {
  await roundTrip(t, {
    file: 'x',
    name: 'No role',
    description: '',
    rules: [],
    tags: [],
    seed: 1,
    population: {},
    server: { host: '127.0.0.1', names: [], port: 5645, syncRate: 0, batchSize: 500 },
    securityCenter: { users: [], groups: {}, partitions: [], role: null, alarms: [] },
    plugin: null,
    invariants: [],
    steps: [{ kind: 'apply', input: { host: '127.0.0.1' }, rejects: ['role'], at }],
  });
});

t.test('every bundled scenario survives load -> write -> load', async (t) => {
  const dir = path.join(root, 'scenarios');
  const files: string[] = [];
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    if (d.isDirectory() && d.name !== 'fragments') for (const f of readdirSync(path.join(dir, d.name))) if (f.endsWith('.yaml')) files.push(path.join(dir, d.name, f));
  }
  t.ok(files.length > 10, `${files.length} bundled scenarios`);
  for (const f of files) {
    const s = await loadScenario(f);
    await roundTrip(t, s);
  }
});
