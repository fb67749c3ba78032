import t from 'tap';
import { cliInProcess } from '../helpers/cliInProcess.js';
import { passingScenario } from '../helpers/cliRun.js';

const SITE_REFS = `name: Steps naming what the site never defines
population: { alarmClasses: 2, eventTypes: 3 }
plugin: { host: 127.0.0.1 }
steps:
  - fireEvent: { eventType: Access granted }
  - fireEvent: { eventType: Door exploded }
  - raiseAlarm: { alarmClass: AC-2 }
  - raiseAlarm: { alarmClass: AC-7, occurrence: OCC-1 }
`;

const files = { 'ok.yaml': passingScenario('Fine'), 'site-refs.yaml': SITE_REFS, 'empty-steps.yaml': 'name: Nothing to do\nsteps: []\n' };

const EXPECTED = [
  { file: 'empty-steps.yaml', line: 2, column: 8, message: 'steps is empty: a scenario needs at least one step' },
  {
    file: 'site-refs.yaml',
    line: 6,
    column: 5,
    message: 'fireEvent: event type "Door exploded" is not in the SiPass site (population.eventTypes, addEntity or restartServer.population)',
  },
  {
    file: 'site-refs.yaml',
    line: 8,
    column: 5,
    message: 'raiseAlarm: alarm class "AC-7" is not in the SiPass site (population.alarmClasses, addEntity or restartServer.population)',
  },
];

t.test('validate reports what run would reject at run time, all at once, as file:line:col on stdout', async (t) => {
  const dir = t.testdir(files);
  const r = await cliInProcess(dir, ['validate', '.']);
  t.equal(r.status, 2);
  t.equal(r.stderr, '');
  t.equal(
    r.stdout,
    `${EXPECTED.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`).join('\n')}\n\n1 valid, 2 invalid (3 problems in empty-steps.yaml, site-refs.yaml)\n`,
  );
  const run = await cliInProcess(dir, ['run', 'site-refs.yaml']);
  t.equal(run.status, 2, 'run rejects the same file before running anything');
  t.match(run.stderr, `${EXPECTED[1]?.file}:6:5: ${EXPECTED[1]?.message}`);
  t.equal(run.stdout, '');
});

t.test('validate --format json: one document that parses', async (t) => {
  const dir = t.testdir(files);
  const r = await cliInProcess(dir, ['validate', '*.yaml', '--format', 'json']);
  t.equal(r.status, 2);
  t.same(JSON.parse(r.stdout), { files: 3, valid: 1, invalid: 2, problems: EXPECTED });
});

t.test('validate --format github: workflow annotations with escaped data', async (t) => {
  const dir = t.testdir(files);
  const r = await cliInProcess(dir, ['validate', '.', '--format', 'github']);
  t.equal(r.status, 2);
  const lines = r.stdout.split('\n');
  t.equal(lines[0], '::error file=empty-steps.yaml,line=2,col=8,title=sipass-testbench validate::steps is empty: a scenario needs at least one step');
  t.equal(lines[1], `::error file=site-refs.yaml,line=6,col=5,title=sipass-testbench validate::${EXPECTED[1]?.message}`);
  t.equal(lines.filter((l) => l.startsWith('::error ')).length, 3);
  const bad = await cliInProcess(dir, ['validate', '.', '--format', 'xml']);
  t.equal(bad.status, 2);
  t.match(bad.stderr, '--format xml: use text, json, github');
});
