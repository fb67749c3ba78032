import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { junitReport } from '../../harness/reporters/junitReport.js';
import { PrettyReporter } from '../../harness/reporters/prettyReporter.js';
import { TapReporter } from '../../harness/reporters/tapReporter.js';
import type { Reporter } from '../../harness/reporters/reporter.js';
import { runSuite } from '../../harness/runner/runSuite.js';
import type { SuiteResult } from '../../harness/runner/results.js';
import { runScenario } from '../../harness/runner/runScenario.js';
import { loadScenario } from '../../harness/scenario/loadScenario.js';
import { cliInProcess } from '../helpers/cliInProcess.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const fixture = (name: string): string => path.join('test/fixtures/scenarios', name);

/** Runs the CLI's command from the package root, in this process (test/helpers/cliInProcess.ts). */
async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await cliInProcess(root, args);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Test-point names of a TAP report. */
const points = (tap: string): string[] => tap.split('\n').filter((l) => /^(not )?ok \d+ - /.test(l)).map((l) => l.replace(/^(not )?ok \d+ - /, ''));
/** A report with every timing removed. */
const stripTimings = (s: string): string => s.replace(/^# wall time .*$/gm, '# wall time X');

async function suiteOf(files: string[]): Promise<SuiteResult> {
  const prev = process.cwd();
  process.chdir(root);
  try {
    const scenarios = await Promise.all(files.map((f) => loadScenario(f)));
    return await runSuite(scenarios, { jobs: 1 });
  } finally {
    process.chdir(prev);
  }
}

function render(make: (w: (s: string) => void) => Reporter, suite: SuiteResult): string {
  let out = '';
  const r = make((s) => void (out += s));
  r.start([]);
  for (const s of suite.scenarios) r.scenario(s);
  r.end(suite);
  return out;
}

t.test('a failing expectation names the step, its file:line and expected vs actual', async (t) => {
  const prev = process.cwd();
  process.chdir(root);
  const s = await loadScenario(fixture('failing-count.yaml'));
  const r = await runScenario(s);
  process.chdir(prev);
  t.equal(r.status, 'failed');
  const bad = r.steps.filter((x) => x.status !== 'passed');
  t.equal(bad.length, 1, 'only the deliberately wrong step fails; later steps still run');
  t.equal(r.steps.length, 3);
  t.equal(bad[0]?.index, 1);
  t.equal(bad[0]?.label, 'Deliberately wrong count');
  t.same(bad[0]?.at, { file: fixture('failing-count.yaml'), line: 7, column: 5 });
  t.same(bad[0]?.mismatches, [{ what: 'count of cardholder', expected: 6, actual: 5 }]);
});

t.test('reporters: pretty, TAP and JUnit show the failing step, its position, expected and actual', async (t) => {
  const suite = await suiteOf([fixture('failing-count.yaml'), fixture('failing-notified.yaml'), fixture('passing-alpha.yaml')]);
  t.equal(suite.passed, 1);
  t.equal(suite.failed, 2);

  const pretty = render((w) => new PrettyReporter(w), suite);
  t.match(pretty, 'FAIL  Fixture fails on a wrong cardholder count [R7]');
  t.match(pretty, `step 2 at ${fixture('failing-count.yaml')}:7: Deliberately wrong count`);
  t.match(pretty, /count of cardholder\n\s+expected: 6\n\s+actual:\s+5/);
  t.match(pretty, `step 3 at ${fixture('failing-notified.yaml')}:10:`);
  t.match(pretty, /alarm monitor occurrence OCC-1 notified\n\s+expected: \["bob"\]\n\s+actual:\s+\["alice"\]/);
  t.match(pretty, 'PASS  Fixture alpha passes');
  t.match(pretty, '1 passed, 2 failed');

  const tap = render((w) => new TapReporter(w), suite);
  t.match(tap, /^TAP version 14\n/);
  t.same(points(tap), ['Fixture fails on a wrong cardholder count', 'Fixture fails on who was notified', 'Fixture alpha passes']);
  t.match(tap, 'not ok 1 - Fixture fails on a wrong cardholder count');
  t.match(tap, `  at: "${fixture('failing-count.yaml')}:7:5"`);
  t.match(tap, '  step: "Deliberately wrong count"');
  t.match(tap, '    - what: "count of cardholder"\n      expected: "6"\n      actual: "5"');
  t.match(tap, '      expected: "[\\"bob\\"]"\n      actual: "[\\"alice\\"]"');
  t.match(tap, 'ok 3 - Fixture alpha passes');

  const xml = junitReport(suite);
  t.match(xml, '<testsuites name="sipass-testbench" tests="3" failures="2" errors="0"');
  t.match(xml, `<failure message="count of cardholder (${fixture('failing-count.yaml')}:7)" type="failed">`);
  t.match(xml, `step 2 at ${fixture('failing-count.yaml')}:7: Deliberately wrong count`);
  t.match(xml, 'count of cardholder: expected 6, actual 5');
  t.match(xml, 'alarm monitor occurrence OCC-1 notified: expected [&quot;bob&quot;], actual [&quot;alice&quot;]');
  t.match(xml, /<testcase name="Fixture alpha passes" [^>]*\/>/);
});

t.test('CLI: failing scenarios exit 1 and print where they failed', async (t) => {
  const r = await runCli(['run', fixture('failing-count.yaml'), fixture('failing-notified.yaml')]);
  t.equal(r.code, 1, r.stderr);
  t.match(r.stdout, `step 2 at ${fixture('failing-count.yaml')}:7: Deliberately wrong count`);
  t.match(r.stdout, '0 passed, 2 failed');
});

t.test('CLI: passing scenarios exit 0', async (t) => {
  const r = await runCli(['run', fixture('passing-alpha.yaml'), fixture('passing-beta.yaml')]);
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.match(r.stdout, '2 passed, 0 failed');
});

t.test('CLI: an invalid file exits 2 and runs nothing', async (t) => {
  const r = await runCli(['run', fixture('passing-alpha.yaml'), 'test/fixtures/invalid/unknown-key.yaml', fixture('failing-count.yaml')]);
  t.equal(r.code, 2);
  t.match(r.stderr, 'test/fixtures/invalid/unknown-key.yaml:4:29: unknown key "withn" in steps[0].expect (did you mean "within"?)');
  t.match(r.stderr, '1 problem: nothing was run.');
  t.notMatch(r.stdout, /Running|PASS|FAIL/);
  const v = await runCli(['validate', 'test/fixtures/invalid/']);
  t.equal(v.code, 2);
  t.match(v.stdout, '0 valid, 9 invalid');
  t.equal((await runCli(['validate', 'test/fixtures/scenarios/'])).code, 0);
});

t.test('CLI: --shard 1/2 and 2/2 partition the files', async (t) => {
  const all = points((await runCli(['run', 'test/fixtures/scenarios/', '--reporter', 'tap'])).stdout);
  t.equal(all.length, 4);
  const a = await runCli(['run', 'test/fixtures/scenarios/', '--reporter', 'tap', '--shard', '1/2']);
  const b = await runCli(['run', 'test/fixtures/scenarios/', '--reporter', 'tap', '--shard', '2/2']);
  const pa = points(a.stdout);
  const pb = points(b.stdout);
  t.ok(pa.length > 0 && pb.length > 0, 'both shards have work');
  t.same(pa.filter((x) => pb.includes(x)), [], 'no scenario in both shards');
  t.same([...pa, ...pb].sort(), [...all].sort(), 'together they are the whole suite');
  t.equal((await runCli(['run', 'test/fixtures/scenarios/', '--shard', '3/2'])).code, 2);
});

t.test('CLI: --grep filters by name or file', async (t) => {
  const r = await runCli(['run', 'test/fixtures/scenarios/', '--reporter', 'tap', '--grep', 'alpha|beta']);
  t.equal(r.code, 0);
  t.same(points(r.stdout), ['Fixture alpha passes', 'Fixture beta passes after a reconnect']);
  const f = await runCli(['run', 'test/fixtures/scenarios/', '--reporter', 'tap', '--grep', 'failing-notified']);
  t.equal(f.code, 1);
  t.same(points(f.stdout), ['Fixture fails on who was notified']);
});

t.test('CLI: the same seed gives the same TAP report, byte for byte, timings stripped', async (t) => {
  const args = ['run', 'test/fixtures/scenarios/', '--reporter', 'tap', '--seed', '42'];
  const one = await runCli(args);
  const two = await runCli(args);
  t.equal(one.code, 1);
  t.match(one.stdout, /^# wall time \d+ms$/m);
  t.equal(stripTimings(one.stdout), stripTimings(two.stdout));
});
