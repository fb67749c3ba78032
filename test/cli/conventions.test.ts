import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { cliInProcess } from '../helpers/cliInProcess.js';
import { cliIn, MAIN, passingScenario } from '../helpers/cliRun.js';

const GREEN_PASS = '\u001b[32mPASS\u001b[39m';

// Spawned: the version a user's installed CLI prints, and what a shell sees of a usage error.
t.test('--version and -V print package.json version', async (t) => {
  const pkg = JSON.parse(readFileSync(path.resolve(path.dirname(MAIN), '../../package.json'), 'utf8')) as { version: string };
  for (const flag of ['--version', '-V']) {
    const r = cliIn('.', [flag]);
    t.equal(r.status, 0, flag);
    t.equal(r.stdout, `${pkg.version}\n`, flag);
  }
});

t.test('help: an unknown command is a usage error on stderr; bare invocation prints help to stderr, exit 2', async (t) => {
  const nope = cliIn('.', ['help', 'nope']);
  t.equal(nope.status, 2);
  t.equal(nope.stdout, '');
  t.match(nope.stderr, 'sipass-testbench help: unknown command "nope"');
  const bare = cliIn('.', []);
  t.equal(bare.status, 2);
  t.equal(bare.stdout, '');
  t.match(bare.stderr, 'Usage: sipass-testbench <command> [options]');
  const known = cliIn('.', ['help', 'run']);
  t.equal(known.status, 0);
  t.match(known.stdout, '--pass-with-no-tests');
});

t.test('colour: never in a pipe by default, FORCE_COLOR turns it on (and wins over NO_COLOR), NO_COLOR off', async (t) => {
  const dir = t.testdir({ 'a.yaml': passingScenario('Alpha') });
  const piped = await cliInProcess(dir, ['run', '.']);
  t.equal(piped.status, 0, piped.stderr);
  t.notMatch(piped.stdout, '\u001b[', 'no escape codes in a pipe');
  const forced = await cliInProcess(dir, ['run', '.'], { FORCE_COLOR: '1' });
  t.match(forced.stdout, GREEN_PASS, 'FORCE_COLOR=1: PASS in green');
  t.match(forced.stdout, '\u001b[1m\u001b[32m1 passed\u001b[39m, 0 failed\u001b[22m', 'the summary too');
  const both = await cliInProcess(dir, ['run', '.'], { FORCE_COLOR: '1', NO_COLOR: '1' });
  t.match(both.stdout, GREEN_PASS, 'FORCE_COLOR wins, as in Node');
  const off = await cliInProcess(dir, ['run', '.'], { FORCE_COLOR: '0' });
  t.notMatch(off.stdout, '\u001b[', 'FORCE_COLOR=0: off');
});

t.test('CLI durations need a unit; values past the timer range are refused', async (t) => {
  const bare = await cliInProcess('.', ['connect', '--timeout', '3']);
  t.equal(bare.status, 2);
  t.match(bare.stderr, /^sipass-testbench connect: --timeout 3: a duration needs a unit \(use 3s or 3ms\)\n/);
  const huge = await cliInProcess('.', ['connect', '--timeout', '25d']);
  t.equal(huge.status, 2);
  t.match(huge.stderr, '--timeout 25d is longer than the longest timer Node can set (2147483647ms, about 24.8 days)');
});
