/**
 * Hostile scenario files against the CLI's commands (issue 11): each is one
 * file:line:column problem and exit 2, never a hang, a stack trace or a line
 * of a file outside the scenario root. The commands run in this process
 * (test/helpers/cliInProcess.ts; a hang fails at tap's timeout). Times are printed, not
 * asserted (docs/reliability.md has the figures).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import { cliInProcess } from '../helpers/cliInProcess.js';

const REPO = process.cwd();

interface Ran {
  status: number | null;
  out: string;
  ms: number;
}

async function cli(cwd: string, ...args: string[]): Promise<Ran> {
  const started = performance.now();
  // In process (test/helpers/cliInProcess.ts): what is tested is the loader's answer, not the process.
  const r = await cliInProcess(cwd, args);
  return { status: r.status, out: `${r.stdout}${r.stderr}`, ms: performance.now() - started };
}

/** The problem lines ("file:line:col: message") in the output. */
const problemLines = (out: string, file: string): string[] => out.split('\n').filter((l) => l.startsWith(`${file}:`));

function noStackTrace(t: Test, out: string): void {
  t.notMatch(out, /RangeError|Maximum call stack|internal error/, 'no RangeError, no internal error');
  t.notMatch(out, /\n\s+at \S/, 'no stack trace');
}

const BASE = 'name: hostile\nsteps:\n  - wait: 1s\n';

let dir = '';
t.before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'sipass-hostile-'));
});
t.teardown(() => rm(dir, { recursive: true, force: true }));

t.test('the 20-level merge bomb: exit 2 at the alias that exceeds the budget', async (t) => {
  let text = 'name: bomb\nx-0: &p0 { a: 1 }\n';
  for (let i = 1; i <= 20; i++) text += `x-${i}: &p${i} { <<: [*p${i - 1}, *p${i - 1}] }\n`;
  text += 'population: *p20\nsteps:\n  - wait: 1s\n';
  t.ok(text.length < 700, `a ${text.length}-byte file`);
  await writeFile(path.join(dir, 'bomb.yaml'), text);
  const r = await cli(dir, 'validate', 'bomb.yaml');
  t.comment(`validate bomb.yaml: exit ${r.status} after ${r.ms.toFixed(0)} ms`);
  t.equal(r.status, 2, r.out);
  const lines = problemLines(r.out, 'bomb.yaml');
  t.equal(lines.length, 1, 'one problem');
  t.match(lines[0] ?? '', /^bomb\.yaml:\d+:\d+: YAML: aliases and merge keys \(<<\) expand to more than \d+ nodes by \*p\d+ here/);
  noStackTrace(t, r.out);
});

t.test('5,000 levels of nesting (flow and block): exit 2, no stack trace', async (t) => {
  const files: Record<string, string> = {
    'flow-deep.yaml': `${BASE}x-deep: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
    'block-deep.yaml': `${BASE}x-deep:\n  ${'- '.repeat(5000)}x\n`,
  };
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  // 2,000 levels of indented block maps (2 MB): the size cap first, the depth limit when the cap is raised.
  let block = `${BASE}x-deep:\n`;
  for (let i = 1; i <= 2000; i++) block += `${' '.repeat(i)}k:\n`;
  await writeFile(path.join(dir, 'indented-deep.yaml'), block);
  const r = await cli(dir, 'validate', 'flow-deep.yaml', 'block-deep.yaml', 'indented-deep.yaml');
  t.comment(`validate flow-deep.yaml block-deep.yaml indented-deep.yaml: exit ${r.status} after ${r.ms.toFixed(0)} ms`);
  t.equal(r.status, 2);
  for (const name of Object.keys(files)) {
    const lines = problemLines(r.out, name);
    t.equal(lines.length, 1, `${name}: one problem`);
    // Flow nesting is measured on the parser's tokens; block nesting that deep is refused on its layout, before the parser.
    const why = name === 'flow-deep.yaml' ? ':4:108: YAML: maps and lists nested more than 100 levels deep' : ':5:401: YAML: indented or nested past column 400';
    t.ok((lines[0] ?? '').startsWith(`${name}${why}`), `${name}: ${lines[0] ?? ''}`);
  }
  t.match(r.out, /^indented-deep\.yaml:1:1: the file is 1\.9 MiB, over the 256 KiB limit for one scenario file \(raise it with --max-file-size\)/m);
  noStackTrace(t, r.out);
  const raised = await cli(dir, 'validate', '--max-file-size', '4MiB', 'indented-deep.yaml');
  t.comment(`validate --max-file-size 4MiB indented-deep.yaml: exit ${raised.status} after ${raised.ms.toFixed(0)} ms`);
  t.equal(raised.status, 2);
  t.match(raised.out, /^indented-deep\.yaml:405:401: YAML: indented or nested past column 400, too deep to parse safely \(the limit is 100 levels of maps and lists\)/m);
  noStackTrace(t, raised.out);
});

t.test('200,000 steps: exit 2 (the size cap), no stack trace; the step limit has its own flag', async (t) => {
  await writeFile(path.join(dir, 'many-steps.yaml'), `name: many\nsteps:\n${'  - wait: 1s\n'.repeat(200_000)}`);
  // 15,000 steps in 45 KB (aliases of one step): under the size cap, over the step limit.
  await writeFile(path.join(dir, 'alias-steps.yaml'), `name: many\nx-s: &s { wait: 1s }\nsteps: [${Array(15_000).fill('*s').join(',')}]\n`);
  const r = await cli(dir, 'validate', 'many-steps.yaml', 'alias-steps.yaml');
  t.comment(`validate many-steps.yaml (2.5 MiB) alias-steps.yaml: exit ${r.status} after ${r.ms.toFixed(0)} ms`);
  t.equal(r.status, 2);
  t.match(r.out, /^many-steps\.yaml:1:1: the file is 2\.5 MiB, over the 256 KiB limit/m);
  t.match(r.out, /^alias-steps\.yaml:3:30009: steps: 15000 steps, over the limit of 10000 \(raise it with --max-steps N/m);
  noStackTrace(t, r.out);
  // A limit a real suite could outgrow is a flag.
  await writeFile(path.join(dir, 'three-steps.yaml'), 'name: three\nsteps:\n  - wait: 1s\n  - wait: 1s\n  - wait: 1s\n');
  t.equal((await cli(dir, 'validate', '--max-steps', '3', 'three-steps.yaml')).status, 0, '--max-steps 3 loads 3 steps');
  const over = await cli(dir, 'validate', '--max-steps', '2', 'three-steps.yaml');
  t.equal(over.status, 2);
  t.match(over.out, /^three-steps\.yaml:5:5: steps: 3 steps, over the limit of 2/m);
  const bad = await cli(dir, 'validate', '--max-steps', 'lots', 'three-steps.yaml');
  t.equal(bad.status, 2, 'a bad --max-steps is a usage error');
  t.match(bad.out, '--max-steps lots: a whole number from 1');
});

t.test('includes outside the root, devices and FIFOs: one file:line:col problem each, no line of the target in the output', async (t) => {
  const suite = path.join(dir, 'suite');
  await mkdir(path.join(suite, 'sub'), { recursive: true });
  const passwd = existsSync('/etc/passwd') ? readFileSync('/etc/passwd', 'utf8').split('\n').filter((l) => l.trim().length > 0) : [];
  t.ok(passwd.length > 0, '/etc/passwd has lines to look for');
  // A secret next to the suite (outside its root), reached by a path and by a link; valid YAML, so a read would echo its keys.
  await writeFile(path.join(dir, 'secret.yaml'), 'canary-secret-7f3a: do-not-print\n');
  await symlink(path.join(dir, 'secret.yaml'), path.join(suite, 'innocent.yaml'));
  const mkfifo = spawnSync('mkfifo', [path.join(suite, 'pipe.yaml')]);
  t.equal(mkfifo.status, 0, 'mkfifo made a FIFO inside the root');
  const cases: Array<[string, string, RegExp]> = [
    ['sub/passwd.yaml', '../../../../../../../../etc/passwd', /include "(\.\.\/)+etc\/passwd" is outside the scenario root /],
    ['etc-passwd.yaml', '/etc/passwd', /include "\/etc\/passwd" is outside the scenario root /],
    ['stdin.yaml', '/dev/stdin', /include "\/dev\/stdin" is outside the scenario root /],
    ['zero.yaml', '/dev/zero', /include "\/dev\/zero" is outside the scenario root /],
    ['fifo.yaml', 'pipe.yaml', /include "pipe\.yaml": not a regular file \(a FIFO\)/],
    ['link.yaml', 'innocent.yaml', /include "innocent\.yaml": leads outside the scenario root .* through a symbolic link/],
    ['dotdot.yaml', '../secret.yaml', /include "\.\.\/secret\.yaml" is outside the scenario root /],
  ];
  for (const [file, include] of cases) await writeFile(path.join(suite, file), `include: [${include}]\n${BASE}`);
  const r = await cli(suite, 'validate', ...cases.map(([file]) => file));
  t.comment(`validate (${cases.length} files with hostile includes): exit ${r.status} after ${r.ms.toFixed(0)} ms`);
  t.equal(r.status, 2, 'exit 2');
  for (const [file, include, message] of cases) {
    const lines = problemLines(r.out, file);
    t.equal(lines.length, 1, `${file} (include ${include}): one problem`);
    t.match(lines[0] ?? '', new RegExp(`^${file.replace(/[./]/g, '\\$&')}:1:11: `), `${file}: at the include's line and column`);
    t.match(lines[0] ?? '', message, `${file}: says why`);
  }
  t.notOk(
    passwd.some((l) => r.out.includes(l)),
    'no line of /etc/passwd in the output',
  );
  t.notMatch(r.out, /canary-secret-7f3a|do-not-print/, 'nothing of the secret outside the root');
  noStackTrace(t, r.out);
  // The include exactly as the issue writes it, from a scenario two levels below /.
  const shallow = path.join(dir, 'x.yaml');
  await writeFile(shallow, `include: [../../etc/passwd]\n${BASE}`);
  const x = await cli(dir, 'validate', 'x.yaml');
  t.equal(x.status, 2);
  t.match(problemLines(x.out, 'x.yaml'), [/^x\.yaml:1:11: include "\.\.\/\.\.\/etc\/passwd" is outside the scenario root /]);
  t.notOk(passwd.some((l) => x.out.includes(l)), 'include: [../../etc/passwd]: no line of /etc/passwd in the output');
  // --root names a wider root; devices are still refused (only regular files are read).
  const wide = await cli(suite, 'validate', '--root', '/', 'zero.yaml', 'stdin.yaml');
  t.equal(wide.status, 2);
  t.match(wide.out, /^zero\.yaml:1:11: include "\/dev\/zero": not a regular file \(a device\)/m);
  t.match(wide.out, /^stdin\.yaml:1:11: include "\/dev\/stdin": /m);
  t.equal((await cli(suite, 'validate', '--root', 'nowhere', 'zero.yaml')).status, 2, 'a --root that is not a folder is a usage error');
});

t.test('bundled includes still work: the whole suite, one file from the repo root, one from inside scenarios/, one from elsewhere', async (t) => {
  const all = await cli(REPO, 'validate', 'scenarios');
  t.equal(all.status, 0, all.out);
  t.match(all.out, /\d+ valid, 0 invalid/);
  const one = 'scenarios/r04-recipients/empty-list-nobody-notified.yaml';
  t.match(readFileSync(one, 'utf8'), /include: \[\.\.\/fragments\//, 'the file includes ../fragments/');
  const run = await cli(REPO, 'run', one);
  t.equal(run.status, 0, `run ${one}: ${run.out}`);
  t.equal((await cli(path.join(REPO, 'scenarios/r04-recipients'), 'validate', 'empty-list-nobody-notified.yaml')).status, 0, 'from inside scenarios/r04-recipients');
  t.equal((await cli(dir, 'validate', path.join(REPO, one))).status, 0, 'from another folder (the bundled suite is its own root)');
});
