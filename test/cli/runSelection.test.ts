import t from 'tap';
import { cliInProcess } from '../helpers/cliInProcess.js';
import { passingScenario } from '../helpers/cliRun.js';

/** Files run, from a `--reporter json` report. */
const filesRun = (stdout: string): string[] => (JSON.parse(stdout) as { scenarios: Array<{ file: string }> }).scenarios.map((s) => s.file);

t.test('selecting nothing fails with one line (exit 1) unless --pass-with-no-tests', async (t) => {
  const dir = t.testdir({ empty: {}, suite: { 'a.yaml': passingScenario('Alpha') } });
  const empty = await cliInProcess(dir, ['run', 'empty']);
  t.equal(empty.status, 1, 'an empty folder');
  t.equal(empty.stdout, '', 'no "Running 0 scenarios"');
  t.equal(empty.stderr, 'sipass-testbench run: no scenarios selected: no scenario files in empty (--pass-with-no-tests allows an empty run)\n');

  const typo = await cliInProcess(dir, ['run', 'suite', '--grep', 'alhpa']);
  t.equal(typo.status, 1, 'a --grep typo');
  t.match(typo.stderr, 'no scenarios selected: --grep "alhpa" matches none of the 1 scenario');

  const glob = await cliInProcess(dir, ['run', 'nowhere/*.yaml']);
  t.equal(glob.status, 1, 'a glob matching nothing');
  t.match(glob.stderr, 'no scenarios selected: no scenario files in nowhere/*.yaml');

  for (const flag of ['--pass-with-no-tests', '--passWithNoTests']) {
    const ok = await cliInProcess(dir, ['run', 'empty', flag, '--reporter', 'tap']);
    t.equal(ok.status, 0, flag);
    t.match(ok.stdout, /^TAP version 14\n1\.\.0\n/, `${flag}: an empty plan`);
    t.equal(ok.stderr, 'sipass-testbench run: no scenarios selected: no scenario files in empty; an empty run passes because of --pass-with-no-tests\n', `${flag}: the log says the empty run was allowed`);
  }
});

t.test('an empty shard of a non-empty selection passes with a note; shards slice the selection', async (t) => {
  const dir = t.testdir({ 'a.yaml': passingScenario('Alpha'), 'b.yaml': passingScenario('Beta') });
  const third = await cliInProcess(dir, ['run', '.', '--shard', '3/3', '--reporter', 'json']);
  t.equal(third.status, 0);
  t.equal(third.stderr, 'sipass-testbench run: shard 3/3 is empty: the 2 selected scenarios run in the other shards\n');
  t.same(filesRun(third.stdout), []);
  const second = await cliInProcess(dir, ['run', '.', '--shard', '2/3', '--reporter', 'json']);
  t.same(filesRun(second.stdout), ['b.yaml']);
  const grepped = await cliInProcess(dir, ['run', '.', '--grep', 'beta', '--shard', '1/2', '--reporter', 'json']);
  t.same(filesRun(grepped.stdout), ['b.yaml'], '--grep first, then the shard of what it selected');
});

t.test('a glob (quoted: no shell expands it) selects the same files as the expanded list', async (t) => {
  const dir = t.testdir({
    r01: { 'one.yaml': passingScenario('One'), fragments: { 'piece.yaml': 'population: { cardholders: 1 }\n' } },
    r02: { 'two.yaml': passingScenario('Two'), 'notes.txt': 'not a scenario' },
    x03: { 'three.yaml': passingScenario('Three') },
  });
  const expanded = await cliInProcess(dir, ['run', 'r01/one.yaml', 'r02/two.yaml', '--reporter', 'json']);
  t.equal(expanded.status, 0, expanded.stderr);
  const globbed = await cliInProcess(dir, ['run', 'r0*/*.yaml', '--reporter', 'json']);
  t.equal(globbed.status, 0, globbed.stderr);
  t.same(filesRun(globbed.stdout), filesRun(expanded.stdout));
  t.same(filesRun(globbed.stdout), ['r01/one.yaml', 'r02/two.yaml']);
  const folders = await cliInProcess(dir, ['validate', 'r0?']);
  t.equal(folders.status, 0, 'a glob matching folders walks them (fragments/ skipped)');
  t.match(folders.stdout, /^2 valid/m);
});
