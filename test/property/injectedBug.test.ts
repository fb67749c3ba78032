// "Every failure becomes a scenario", shown end to end: a known bug injected into the role (R4: new alarm
// entities alias the role's recipient list), the R4 property finds it, writes the shrunk counterexample as
// YAML, and `sipass-testbench run` replays that file with the same failure (and passes without the bug).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { runScenario } from '../../harness/runner/runScenario.js';
import { loadScenario } from '../../harness/scenario/loadScenario.js';
import { recipientsProperty } from './recipientsModel.js';
import { assertScenarioProperty, counterexampleFile, firstFailure, projectRoot } from './scenarioFailure.js';

const cli = path.join(projectRoot, 'dist/cli/main.js');
const BUG = { faultInjection: { shareRecipientList: true } };

function runCli(file: string, inject: boolean): { code: number | null; out: string } {
  const env = { ...process.env };
  if (inject) env.SIPASS_TESTBENCH_INJECT_BUG = 'share-recipient-list';
  else delete env.SIPASS_TESTBENCH_INJECT_BUG;
  const r = spawnSync(process.execPath, [cli, 'run', file], { cwd: projectRoot, encoding: 'utf8', env, timeout: 120_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

t.test('the R4 property finds an injected bug; its counterexample replays from the CLI with the same failure', async (t) => {
  const prevDir = process.env.FC_FAILURES_DIR;
  const dir = mkdtempSync(path.join(tmpdir(), 'sipass-failures-'));
  process.env.FC_FAILURES_DIR = dir;
  t.teardown(() => {
    if (prevDir === undefined) delete process.env.FC_FAILURES_DIR;
    else process.env.FC_FAILURES_DIR = prevDir;
  });

  let message = '';
  try {
    await assertScenarioProperty(t, 'r4-recipients-injected-bug', recipientsProperty(BUG), { numRuns: 100 });
  } catch (e) {
    message = (e as Error).message;
  }
  t.match(message, /fast-check property failed \(seed=\d+; replay with FC_SEED=\d+\)/, 'the property fails, naming its seed');
  t.match(message, /path: "[\d:]+"/, 'and fast-check\'s path');
  const file = counterexampleFile(message);
  t.ok(file, 'the failure message names the counterexample scenario file');
  if (!file) return;
  t.equal(path.dirname(file), dir, 'written to FC_FAILURES_DIR');
  t.ok(existsSync(file), 'the file exists');
  t.comment(`counterexample: ${file}`);
  t.comment(readFileSync(file, 'utf8'));

  // It is a valid scenario; in-process, with the bug, it fails on an R4 expectation.
  const s = await loadScenario(file);
  const withBug = await runScenario(s, { roleOptions: BUG });
  t.equal(withBug.status, 'failed', 'replayed in-process with the bug: fails');
  const what = firstFailure(withBug);
  // The shared list shows either on the alarm entity's recipients or on who the monitor notified for an
  // occurrence of it: both are R4, and which one the shrunk counterexample trips first depends on the seed.
  t.match(what, /^(alarm AC-\d+ recipients|alarm monitor occurrence \S+ \(raised\) notified)$/,
    'on an alarm entity\'s recipients, or on who its occurrence notified (R4)');
  t.equal((await runScenario(s)).status, 'passed', 'replayed in-process without the bug: passes');

  // From the CLI: the env var injects the same bug (test-only), exit 1 naming the same expectation.
  const bad = runCli(file, true);
  t.equal(bad.code, 1, 'sipass-testbench run with SIPASS_TESTBENCH_INJECT_BUG: exit 1');
  t.ok(what !== undefined && bad.out.includes(what), `the CLI names the same failing expectation ("${String(what)}")`);
  const good = runCli(file, false);
  t.equal(good.code, 0, `without the bug the same file passes (exit 0)${good.code === 0 ? '' : `\n${good.out}`}`);
});
