import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { cliInProcess } from '../helpers/cliInProcess.js';
import { MAIN, passingScenario, userEnv } from '../helpers/cliRun.js';
import { findAll, parseXml } from '../helpers/parseXml.js';

t.test('--junit into a folder that does not exist: created, and the XML is well-formed', async (t) => {
  const dir = t.testdir({ 'a.yaml': passingScenario('Alpha'), 'b.yaml': passingScenario('Beta') });
  const r = await cliInProcess(dir, ['run', '.', '--junit', 'missing/dir/r.xml', '--json', 'other/r.json']);
  t.equal(r.status, 0, r.stderr);
  const xml = parseXml(readFileSync(path.join(dir, 'missing/dir/r.xml'), 'utf8'));
  t.equal(xml.name, 'testsuites');
  t.equal(xml.attributes.tests, '2');
  t.same(findAll(xml, 'testcase').map((c) => c.attributes.name), ['Alpha', 'Beta']);
  t.equal((JSON.parse(readFileSync(path.join(dir, 'other/r.json'), 'utf8')) as { passed: number }).passed, 2);
});

t.test('a report path that cannot be written fails before anything runs (exit 2)', async (t) => {
  const dir = t.testdir({ 'a.yaml': passingScenario('Alpha'), blocker: 'a file, not a folder' });
  const r = await cliInProcess(dir, ['run', '.', '--junit', 'blocker/r.xml']);
  t.equal(r.status, 2);
  t.equal(r.stdout, '', 'nothing ran');
  t.match(r.stderr, /^sipass-testbench run: REPORT_PATH_INVALID: --junit blocker\/r\.xml: cannot create the folder .*blocker \(EEXIST|ENOTDIR\)\n$/);
});

t.test('--junit - writes the XML to stdout; the terminal report moves to stderr', async (t) => {
  const dir = t.testdir({ 'a.yaml': passingScenario('Alpha') });
  const r = await cliInProcess(dir, ['run', '.', '--junit', '-']);
  t.equal(r.status, 0, r.stderr);
  t.equal(findAll(parseXml(r.stdout), 'testcase').length, 1);
  t.match(r.stderr, /PASS {2}Alpha/);
  t.notOk(existsSync(path.join(dir, '-')), 'no file named "-"');
  const two = await cliInProcess(dir, ['run', '.', '--junit', '-', '--tap', '-']);
  t.equal(two.status, 2);
  t.match(two.stderr, '--junit - and --tap -: only one report can go to stdout');
});

t.test('SIGTERM mid-run: the reports list what finished, the rest interrupted; exit 143', async (t) => {
  const dir = t.testdir({ 'a.yaml': passingScenario('Alpha'), 'b.yaml': passingScenario('Beta'), 'c.yaml': passingScenario('Gamma') });
  // Beta is held in wall time (a test-only hook) until the signal: no race with a slow scenario.
  const child = spawn(process.execPath, [MAIN, 'run', '.', '--jobs', '1', '--junit', 'reports/junit.xml', '--tap', 'reports/run.tap', '--html', 'reports/run.html', '--trace', 'on'], {
    cwd: dir,
    env: userEnv({ SIPASS_TESTBENCH_HOLD: 'Beta' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise<void>((resolve, reject) => {
    child.on('exit', () => reject(new Error(`ended before Alpha's result: ${out} ${err}`)));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (/^PASS {2}Alpha/m.test(out)) resolve();
    });
  });
  child.removeAllListeners('exit');
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  t.equal(await exited, 143);
  t.match(out, '1 passed, 0 failed, 2 not run (interrupted)');
  t.match(err, 'stopped by SIGTERM: 1 finished, 2 interrupted; reports written');
  const xml = parseXml(readFileSync(path.join(dir, 'reports/junit.xml'), 'utf8'));
  const cases = findAll(xml, 'testcase');
  t.same(
    cases.map((c) => [c.attributes.name, c.children.map((x) => `${x.name}:${x.attributes.message ?? ''}`)]),
    [
      ['Alpha', []],
      ['Beta', ['skipped:interrupted']],
      ['Gamma', ['skipped:interrupted']],
    ],
  );
  t.equal(xml.attributes.skipped, '2');
  t.match(readFileSync(path.join(dir, 'reports/run.tap'), 'utf8'), /^ok 1 - Alpha\nBail out! interrupted: 2 scenarios not run\n/m);
  // The HTML report too (issue 15), with the finished scenario's trace, embedded and as a file.
  const html = readFileSync(path.join(dir, 'reports/run.html'), 'utf8');
  const data = JSON.parse(/<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)?.[1] ?? 'null') as {
    summary: { status: string; passed: number; skipped: number };
    notRun: Array<{ name: string; reason: string }>;
    traces: Array<{ scenario: { name: string } }>;
  };
  t.match(data.summary, { status: 'interrupted', passed: 1, skipped: 2 });
  t.same(data.notRun.map((n) => `${n.name}:${n.reason}`), ['Beta:interrupted', 'Gamma:interrupted']);
  t.same(data.traces.map((x) => x.scenario.name), ['Alpha']);
  t.ok(existsSync(path.join(dir, 'reports/run-traces/a.trace.json')), "Alpha's trace file next to the report");
});

t.test('SIGTERM mid-run with --junit -: stdout is well-formed JUnit with the finished scenario and the rest interrupted; exit 143', async (t) => {
  const dir = t.testdir({ 'a.yaml': passingScenario('Alpha'), 'b.yaml': passingScenario('Beta'), 'c.yaml': passingScenario('Gamma') });
  const child = spawn(process.execPath, [MAIN, 'run', '.', '--jobs', '1', '--junit', '-'], {
    cwd: dir,
    env: userEnv({ SIPASS_TESTBENCH_HOLD: 'Beta' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  // With the XML on stdout the terminal report moves to stderr: Alpha's result is read there.
  await new Promise<void>((resolve, reject) => {
    child.on('exit', () => reject(new Error(`ended before Alpha's result: ${out} ${err}`)));
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (/^PASS {2}Alpha/m.test(err)) resolve();
    });
  });
  child.removeAllListeners('exit');
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  t.equal(await exited, 143);
  t.match(err, 'stopped by SIGTERM: 1 finished, 2 interrupted; reports written');
  t.match(out, /^<\?xml /, 'stdout holds the XML and nothing before it');
  const xml = parseXml(out);
  t.equal(xml.name, 'testsuites');
  t.same(
    findAll(xml, 'testcase').map((c) => [c.attributes.name, c.children.map((x) => `${x.name}:${x.attributes.message ?? ''}`)]),
    [
      ['Alpha', []],
      ['Beta', ['skipped:interrupted']],
      ['Gamma', ['skipped:interrupted']],
    ],
  );
  t.equal(xml.attributes.tests, '3');
  t.equal(xml.attributes.skipped, '2');
  t.notOk(existsSync(path.join(dir, '-')), 'no file named "-"');
});

t.test('run | head -1: one line, nothing on stderr, exit 141 (closed pipe)', async (t) => {
  const dir = t.testdir({ 'a.yaml': passingScenario('Alpha'), 'b.yaml': passingScenario('Beta') });
  // `head` exits after the first line, long before the first scenario's result is written.
  writeFileSync(path.join(dir, 'pipe.sh'), `("${process.execPath}" "${MAIN}" run . --jobs 1; echo $? > rc) | head -1\n`);
  const r = spawnSync('sh', ['pipe.sh'], { cwd: dir, encoding: 'utf8', env: userEnv(), timeout: 60_000 });
  t.equal(r.stdout, 'Running 2 scenarios\n');
  t.equal(r.stderr, '', 'no EPIPE trace');
  t.equal(readFileSync(path.join(dir, 'rc'), 'utf8').trim(), '141');
});
