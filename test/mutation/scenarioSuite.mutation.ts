// The bundled scenario suite, in process, for mutation testing only (stryker.config.mjs). It is
// not in `npm test` (tap runs test/**/*.test.ts): the CLI tests already run the same suite
// through dist/, which Stryker does not mutate; here the mutated sources themselves run it.
// Bails at the first failing scenario: one failure is enough to kill a mutant.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { discoverScenarios } from '../../harness/runner/discoverScenarios.js';
import { loadAll, runSuite } from '../../harness/runner/runSuite.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// Stryker's tap runner runs this file with plain node, where tap's per-file limit is its default
// 30 s (the project's 300 s is in package.json's tap config, read only by the tap CLI). Under the
// coverage instrumentation of a large piece (~900 mutants) the suite took longer than 30 s in the
// dry run ("timeout!"); Stryker's own timeoutMS still bounds each mutant's run.
t.setTimeout(300_000);

void t.test('the bundled scenario suite passes', async (t) => {
  process.chdir(root);
  const { scenarios, problems } = await loadAll(await discoverScenarios(['scenarios']));
  t.strictSame(problems, [], 'every scenario loads');
  const suite = await runSuite(scenarios, { jobs: 1, bail: true });
  for (const s of suite.scenarios) {
    const why = s.error ? `${s.error.code}: ${s.error.message}` : s.steps.filter((x) => x.status !== 'passed').map((x) => JSON.stringify(x)).join('; ');
    t.equal(s.status, 'passed', `${s.file}${s.status === 'passed' ? '' : ` (${why.slice(0, 400)})`}`);
  }
  t.equal(suite.failed, 0);
});
