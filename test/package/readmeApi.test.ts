import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The README's node:test example, exactly as written (the js block after the readme-api marker). */
function readmeExample(): string {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const m = /<!-- readme-api:[^\n]*-->\n```js\n([\s\S]*?)```/.exec(readme);
  if (!m?.[1]) throw new Error('README.md has no readme-api js block');
  return m[1];
}

t.test("the README's node:test example runs against the built package, importing 'sipass-testbench'", async (t) => {
  // A consumer's folder: the package installed (a link to this checkout and its dist), two scenarios.
  const dir = mkdtempSync(path.join(tmpdir(), 'readme-api-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(path.join(dir, 'node_modules'));
  symlinkSync(root, path.join(dir, 'node_modules', 'sipass-testbench'), 'junction');
  mkdirSync(path.join(dir, 'scenarios'));
  for (const f of ['passing-alpha.yaml', 'failing-count.yaml']) copyFileSync(path.join(root, 'test/fixtures/scenarios', f), path.join(dir, 'scenarios', f));
  writeFileSync(path.join(dir, 'scenarios.test.mjs'), readmeExample());

  const r = spawnSync(process.execPath, ['--test', '--test-reporter=tap', 'scenarios.test.mjs'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  t.equal(r.status, 1, `one scenario fails, so node --test exits 1\n${r.stdout}${r.stderr}`);
  t.match(r.stdout, /^ok \d+ - scenarios\/passing-alpha\.yaml$/m);
  t.match(r.stdout, /^not ok \d+ - scenarios\/failing-count\.yaml$/m);
  t.match(r.stdout, 'step 2 at scenarios/failing-count.yaml:7: Deliberately wrong count', 'the failure carries the pretty report');
  t.match(r.stdout, /^# pass 1$/m);
  t.match(r.stdout, /^# fail 1$/m);
});

t.test('the harness API is exported and typed from the package entry', async (t) => {
  const api = (await import(path.join(root, 'dist/index.js'))) as Record<string, unknown>;
  for (const name of ['discoverScenarios', 'loadScenario', 'loadAll', 'runScenario', 'runSuite', 'PrettyReporter', 'TapReporter', 'JsonReporter', 'junitReport', 'ScenarioInvalidError', 'scenarioJsonSchema', 'fragmentJsonSchema']) {
    t.equal(typeof api[name], 'function', name);
  }
  const dts = readFileSync(path.join(root, 'dist/index.d.ts'), 'utf8');
  for (const type of ['SuiteResult', 'ScenarioResult', 'Scenario', 'Reporter', 'SuiteOptions', 'ScenarioProblem']) t.match(dts, new RegExp(`\\b${type}\\b`), `${type} is exported`);
});
