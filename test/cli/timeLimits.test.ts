import t from 'tap';
import { LimitWatch, resolveTimeLimits, WALL_LIMIT_CODE } from '../../harness/runner/timeLimits.js';
import { cliInProcess } from '../helpers/cliInProcess.js';

interface Report {
  scenarios: Array<{ name: string; status: string; wallMs: number; simulatedMs: number; error?: { code: string; message: string } }>;
}
const report = (stdout: string): Report => JSON.parse(stdout) as Report;

/** No role: simulated time moves without timers to fire, so long waits cost no wall time. */
const waiting = (name: string, wait: string, limits = ''): string => `name: ${name}
securityCenter: { role: null }
${limits}steps:
  - wait: ${wait}
`;

t.test('wait: 1000h fails at once on the default simulated-time limit, naming it', async (t) => {
  const dir = t.testdir({ 'typo.yaml': waiting('Typo', '1000h') });
  const r = await cliInProcess(dir, ['run', '.', '--reporter', 'json']);
  t.equal(r.status, 1, r.stderr);
  const s = report(r.stdout).scenarios[0];
  t.equal(s?.status, 'error');
  t.equal(s?.error?.code, 'SCENARIO_SIMULATED_TIME_LIMIT');
  t.equal(s?.error?.message, 'simulated-time limit 1h exceeded: this step would run simulated time to 1000h (raise it with limits.simulated in the scenario or --sim-timeout)');
  t.ok((s?.wallMs ?? Infinity) < 60_000, 'well within the default wall limit (60s)');
  const pretty = await cliInProcess(dir, ['run', '.']);
  t.match(pretty.stdout, 'SCENARIO_SIMULATED_TIME_LIMIT: simulated-time limit 1h exceeded');
});

t.test('limits per scenario (limits:) and per run (--sim-timeout); the scenario wins', async (t) => {
  const dir = t.testdir({
    'own.yaml': waiting('Own limit', '90m', 'limits: { simulated: 2h }\n'),
    'default.yaml': waiting('Default limit', '90m'),
    'tight.yaml': waiting('Tight own limit', '90m', 'limits: { simulated: 30m, wall: 2m }\n'),
  });
  const byName = (stdout: string): Record<string, string> => Object.fromEntries(report(stdout).scenarios.map((s) => [s.name, s.status]));
  const plain = await cliInProcess(dir, ['run', '.', '--reporter', 'json']);
  t.same(byName(plain.stdout), { 'Default limit': 'error', 'Own limit': 'passed', 'Tight own limit': 'error' });
  const run = await cliInProcess(dir, ['run', '.', '--reporter', 'json', '--sim-timeout', '30d']);
  t.same(byName(run.stdout), { 'Default limit': 'passed', 'Own limit': 'passed', 'Tight own limit': 'error' }, '--sim-timeout raises the default only');
  t.equal(report(run.stdout).scenarios.find((s) => s.name === 'Default limit')?.simulatedMs, 5_400_000);
});

t.test('limit flags and keys are checked like every duration', async (t) => {
  const dir = t.testdir({ 'bad.yaml': waiting('Bad', '1s', 'limits: { wall: soon }\n') });
  const bare = await cliInProcess(dir, ['run', '.', '--timeout', '30']);
  t.equal(bare.status, 2);
  t.match(bare.stderr, '--timeout 30: a duration needs a unit (use 30s or 30ms)');
  const v = await cliInProcess(dir, ['validate', 'bad.yaml']);
  t.equal(v.status, 2);
  t.match(v.stdout, 'bad.yaml:3:17: scenario.limits.wall: "soon" is not a duration');
});

t.test('the wall-time limit trips on the injected wall clock, naming it', async (t) => {
  let now = 1_000;
  const watch = new LimitWatch(resolveTimeLimits({ wallMs: 5_000 }, { wallMs: 60_000, simulatedMs: 10 }), () => now);
  t.same(watch.limits, { wallMs: 5_000, simulatedMs: 10 });
  now += 5_000;
  t.doesNotThrow(() => watch.wall(), 'at the limit: fine');
  now += 1;
  t.throws(() => watch.wall(), { code: WALL_LIMIT_CODE, message: 'wall-time limit 5.00s exceeded (5.00s spent; raise it with limits.wall in the scenario or --timeout)' });
  t.throws(() => watch.simulated(11), { code: 'SCENARIO_SIMULATED_TIME_LIMIT' });
});
