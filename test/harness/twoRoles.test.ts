import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { loadScenario } from '../../harness/scenario/loadScenario.js';
import type { Step } from '../../harness/scenario/scenario.js';
import { runScenario } from '../../harness/runner/runScenario.js';

// Issue 12 item 4: two roles in one scenario, on one or two servers, run in process (simulated time).
const here = path.dirname(fileURLToPath(import.meta.url));
const bundled = (name: string): string => path.join(here, '../../scenarios/two-roles', name);
const failures = (r: Awaited<ReturnType<typeof runScenario>>): string =>
  JSON.stringify(r.steps.filter((s) => s.status !== 'passed').map((s) => ({ at: s.at.line, error: s.error, mismatches: s.mismatches })));

t.test('two roles on two servers: the bundled scenario passes, and server:/role: are not ignored', async (t) => {
  const s = await loadScenario(bundled('two-roles-two-servers.yaml'));
  const ok = await runScenario(s);
  t.equal(ok.status, 'passed', failures(ok));
  // The West alarm raised on the main server instead: that site has no AC-W1, the step errors.
  const onMain = s.steps.map((x): Step => (x.kind === 'raiseAlarm' ? { ...x, server: undefined } : x) as Step);
  const r = await runScenario({ ...s, steps: onMain });
  t.equal(r.status, 'error', 'server: west is what reaches the West site');
  t.match(r.steps.find((x) => x.status === 'error')?.error?.message ?? '', 'AC-W1');
});

t.test('two roles on one server: the bundled scenario passes; a manual sync of the other role is not this one', async (t) => {
  const s = await loadScenario(bundled('two-roles-one-server.yaml'));
  const ok = await runScenario(s);
  t.equal(ok.status, 'passed', failures(ok));
  const r = await runScenario({ ...s, steps: s.steps.map((x): Step => (x.kind === 'manualSync' ? { ...x, role: undefined } : x) as Step) });
  t.equal(r.status, 'failed', 'without role:, the scenario\'s own role syncs and the audit role\'s tab still says full');
});
