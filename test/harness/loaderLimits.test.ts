/**
 * The scenario loader's budgets and include confinement (issue 11,
 * docs/reliability.md "Scenario loader limits"), in process: each hostile
 * file is a ScenarioInvalidError naming file:line:column, never another
 * exception. Times are printed (not asserted) for the docs.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { DEFAULT_LOAD_LIMITS, formatBytes, parseByteSize } from '../../harness/scenario/loadLimits.js';
import { loadScenario, type LoadOptions } from '../../harness/scenario/loadScenario.js';
import { ScenarioInvalidError, type ScenarioProblem } from '../../harness/scenario/scenarioProblem.js';
import { bundledSuite, isInside } from '../../harness/scenario/scenarioRoot.js';

const BASE = 'name: limits\nsteps:\n  - wait: 1s\n';

let dir = '';
t.before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'sipass-limits-'));
});
t.teardown(() => rm(dir, { recursive: true, force: true }));

/** Loads `text` as `name` in the temp folder (the root unless options say otherwise): its problems, and how long it took. */
async function problemsOf(name: string, text: string, options: LoadOptions = { root: dir }): Promise<{ problems: ScenarioProblem[]; ms: number }> {
  const file = path.join(dir, name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  const started = performance.now();
  try {
    await loadScenario(file, options);
  } catch (e) {
    if (e instanceof ScenarioInvalidError) return { problems: e.problems, ms: performance.now() - started };
    throw e;
  }
  return { problems: [], ms: performance.now() - started };
}

t.test('merge fan-out: the 20-level bomb and its 30-level big brother stop at the budget', async (t) => {
  for (const levels of [20, 30]) {
    let text = 'name: bomb\nx-0: &p0 { a: 1 }\n';
    for (let i = 1; i <= levels; i++) text += `x-${i}: &p${i} { <<: [*p${i - 1}, *p${i - 1}] }\n`;
    text += `population: *p${levels}\nsteps:\n  - wait: 1s\n`;
    const { problems, ms } = await problemsOf(`bomb${levels}.yaml`, text);
    t.comment(`${levels}-level merge bomb (${text.length} bytes): refused in ${ms.toFixed(1)} ms`);
    t.equal(problems.length, 1, 'one problem');
    t.match(problems[0], { line: 17, message: `YAML: aliases and merge keys (<<) expand to more than ${DEFAULT_LOAD_LIMITS.maxAliasNodes} nodes by *p14 here` });
  }
});

t.test('alias fan-out (a billion laughs in lists) and a long alias chain are priced without being followed', async (t) => {
  let laughs = 'name: laughs\nx-0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
  for (let i = 1; i <= 9; i++) laughs += `x-${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]\n`;
  laughs += 'steps:\n  - wait: 1s\n';
  const a = await problemsOf('laughs.yaml', laughs);
  t.match(a.problems, [{ message: /expand to more than \d+ nodes by \*l4 here/ }]);
  // 300 anchors, each a list holding the previous: linear in size, but 300 levels deep once expanded.
  let chain = 'name: chain\nx-0: &c0 [x]\n';
  for (let i = 1; i <= 300; i++) chain += `x-${i}: &c${i} [*c${i - 1}]\n`;
  chain += 'steps:\n  - wait: 1s\n';
  const c = await problemsOf('chain.yaml', chain);
  t.match(c.problems, [{ line: 101, message: 'YAML: *c98 nests maps and lists more than 100 levels deep once aliases and merge keys are expanded' }]);
  const cycle = await problemsOf('cycle.yaml', `${BASE}x-a: &a [1, *a]\n`);
  t.match(cycle.problems, [{ line: 4, column: 13, message: 'YAML: *a refers back to a map or list it is in (an alias cycle)' }]);
});

t.test('nesting: 5,000 levels in flow or block style is one problem, not a stack overflow', async (t) => {
  for (const [name, text] of [
    ['flow.yaml', `${BASE}x-deep: ${'['.repeat(5000)}${']'.repeat(5000)}\n`],
    ['block.yaml', `${BASE}x-deep:\n  ${'- '.repeat(5000)}x\n`],
    ['keys.yaml', `${BASE}x-deep: ${'{ a: '.repeat(5000)}1${' }'.repeat(5000)}\n`],
  ] as const) {
    const { problems, ms } = await problemsOf(name, text);
    t.comment(`${name}: 5,000 levels refused in ${ms.toFixed(1)} ms`);
    t.equal(problems.length, 1, name);
    t.match(problems[0]?.message, name === 'block.yaml' ? 'YAML: indented or nested past column 400, too deep to parse safely' : 'YAML: maps and lists nested more than 100 levels deep', name);
  }
  // 150 levels of block lists: the layout passes (column 302), the depth check on the tokens does not.
  const block150 = await problemsOf('block150.yaml', `${BASE}x-deep:\n  ${'- '.repeat(150)}x\nx-after: 1\n`);
  t.match(block150.problems, [{ line: 5, column: 201, message: 'YAML: maps and lists nested more than 100 levels deep' }]);
  // A dedent after 1,900 levels overflowed yaml's parser (found by npm run fuzz): refused on the layout first.
  const cascade = await problemsOf('cascade.yaml', `${BASE}x-deep:\n  ${'- '.repeat(1900)}x\nx-after: 1\n`);
  t.match(cascade.problems, [{ line: 5, column: 401, message: /^YAML: indented or nested past column 400/ }]);
  const ok = await problemsOf('hundred.yaml', `${BASE}x-deep: ${'['.repeat(99)}${']'.repeat(99)}\n`);
  t.strictSame(ok.problems, [], '100 levels (the root map and 99 lists) load');
});

t.test('steps: over the limit is one problem at the first step too many', async (t) => {
  const { problems, ms } = await problemsOf('many.yaml', `name: many\nx-s: &s { wait: 1s }\nsteps: [${Array(15_000).fill('*s').join(',')}]\n`);
  t.comment(`15,000 aliased steps refused in ${ms.toFixed(0)} ms`);
  t.match(problems, [{ line: 3, column: 30_009, message: 'steps: 15000 steps, over the limit of 10000 (raise it with --max-steps N, or split the scenario)' }]);
});

t.test('site checks stay bounded: 2,000 aliased restarts, each a site of 10,000 generated alarm classes and event types', async (t) => {
  const text = `name: restarts\nx-r: &r { restartServer: { population: { alarmClasses: 10000, eventTypes: 10000 } } }\nsteps: [${Array(2000).fill('*r').join(', ')}, { raiseAlarm: { alarmClass: AC-00001 } }]\n`;
  const { problems, ms } = await problemsOf('restarts.yaml', text);
  t.comment(`2,000 restarts of 10,000-entity sites checked in ${ms.toFixed(0)} ms (names generated: at most 100,000 per type)`);
  t.strictSame(problems, [], 'loads (names past the budget are not checked: no false alarm)');
});

t.test('file size: the cap is checked before reading, for a scenario and for what it includes', async (t) => {
  const { problems } = await problemsOf('big-comment.yaml', `${BASE}# ${'x'.repeat(2000)}\n`, { root: dir, limits: { maxFileBytes: 1000 } });
  t.match(problems, [{ line: 1, column: 1, message: /^the file is 2 KiB, over the 1000 bytes limit for one scenario file \(raise it with --max-file-size\)$/ }]);
  await writeFile(path.join(dir, 'big-fragment.yaml'), `population: { cardholders: 1 }\n# ${'x'.repeat(2000)}\n`);
  const inc = await problemsOf('includes-big.yaml', `include: [big-fragment.yaml]\n${BASE}`, { root: dir, limits: { maxFileBytes: 1000 } });
  t.match(inc.problems, [{ line: 1, column: 11, message: /^include "big-fragment\.yaml": the file is 2 KiB, over the 1000 bytes limit/ }]);
  t.equal(parseByteSize('4MiB'), 4 * 1024 * 1024);
  t.equal(parseByteSize('512k'), 512 * 1024);
  t.equal(parseByteSize('100000'), 100_000);
  t.equal(parseByteSize('0'), undefined);
  t.equal(parseByteSize('lots'), undefined);
  t.equal(formatBytes(256 * 1024), '256 KiB');
});

t.test('duplicate keys are found in linear time; problems are capped per file', async (t) => {
  const keys = Array.from({ length: 15_000 }, (_, i) => `  k${i}: 1`).join('\n');
  const dup = await problemsOf('dup.yaml', `${BASE}x-many:\n${keys}\n  k7: 2\n`);
  t.comment(`a 15,000-key map with one duplicate: ${dup.ms.toFixed(0)} ms`);
  t.match(dup.problems, [{ line: 15_005, column: 3, message: 'YAML: Map keys must be unique' }]);
  const unknown = Array.from({ length: 500 }, (_, i) => `bogus${i}: 1`).join('\n');
  const many = await problemsOf('unknown.yaml', `${BASE}${unknown}\n`);
  t.equal(many.problems.length, DEFAULT_LOAD_LIMITS.maxProblems, `${DEFAULT_LOAD_LIMITS.maxProblems} problems listed`);
  t.match(many.problems.at(-1), { line: 203, message: `301 more problems from here on, not listed (only the first ${DEFAULT_LOAD_LIMITS.maxProblems - 1} are)` });
});

t.test('includes stay inside the root: paths, .., absolute, links, devices, FIFOs, folders', async (t) => {
  const root = path.join(dir, 'root');
  await mkdir(path.join(root, 'sub'), { recursive: true });
  await writeFile(path.join(dir, 'outside.yaml'), 'canary-outside: 1\n');
  await writeFile(path.join(root, 'frag.yaml'), 'population: { cardholders: 2 }\n');
  await symlink(path.join(dir, 'outside.yaml'), path.join(root, 'out-link.yaml'));
  await symlink(path.join(root, 'frag.yaml'), path.join(root, 'in-link.yaml'));
  const fifo = spawnSync('mkfifo', [path.join(root, 'pipe.yaml')]).status === 0;
  const load = (name: string, include: string, options: LoadOptions = { root }) => problemsOf(path.join('root', name), `include: [${include}]\n${BASE}`, options);
  const message = async (include: string, options?: LoadOptions): Promise<string> => {
    const { problems } = await load('s.yaml', include, options);
    const all = problems.map((p) => `${p.line}:${p.column}: ${p.message}`).join('\n');
    t.equal(problems.length, 1, `${include}: one problem (${all})`);
    t.notMatch(all, /canary/, `${include}: nothing of the file outside the root`);
    return all;
  };
  t.match(await message('../outside.yaml'), /^1:11: include "\.\.\/outside\.yaml" is outside the scenario root .*root \(includes stay inside it/);
  t.match(await message(path.join(dir, 'outside.yaml')), /^1:11: include ".*outside\.yaml" is outside the scenario root/);
  t.match(await message('sub/../../outside.yaml'), /is outside the scenario root/);
  t.match(await message('out-link.yaml'), /^1:11: include "out-link\.yaml": leads outside the scenario root .* through a symbolic link$/);
  t.match(await message('/dev/zero', { root: '/' }), /include "\/dev\/zero": not a regular file \(a device\): only regular files are read/);
  t.match(await message('sub'), /include "sub": not a regular file \(a folder\)/);
  if (fifo) t.match(await message('pipe.yaml'), /include "pipe\.yaml": not a regular file \(a FIFO\)/);
  t.match(await message('nowhere.yaml'), /include "nowhere\.yaml": cannot read the file: ENOENT/);
  // Inside the root: a path, a link that stays inside, an absolute path.
  for (const inc of ['frag.yaml', 'in-link.yaml', 'sub/../frag.yaml', path.join(root, 'frag.yaml')]) {
    const ok = await load('ok.yaml', inc);
    t.strictSame(ok.problems, [], `${inc} is inside the root`);
  }
  // A wider root lets the outside file in (its unknown key then shows: the user asked for that root).
  const wide = await load('wide.yaml', '../outside.yaml', { root: dir });
  t.match(wide.problems, [{ message: /unknown key "canary-outside"/ }]);
  // The file named on the command line: a link inside the root must not leave it.
  await symlink(path.join(dir, 'outside.yaml'), path.join(root, 'top-link.yaml'));
  const top = await loadScenario(path.join(root, 'top-link.yaml'), { root }).then(
    () => undefined,
    (e: unknown) => e,
  );
  t.ok(top instanceof ScenarioInvalidError, 'a top-level link out of the root is refused');
  t.match(top instanceof ScenarioInvalidError ? top.problems : [], [{ line: 1, column: 1, message: /leads outside the scenario root .* through a symbolic link/ }]);
});

t.test('include chains: cycles and more than maxIncludes files are problems, not recursion', async (t) => {
  const root = path.join(dir, 'chain');
  await mkdir(root, { recursive: true });
  for (let i = 0; i < 70; i++) await writeFile(path.join(root, `f${i}.yaml`), `include: [f${i + 1}.yaml]\n`);
  await writeFile(path.join(root, 'f70.yaml'), 'population: { cardholders: 1 }\n');
  const { problems } = await problemsOf('chain/s.yaml', `include: [f0.yaml]\n${BASE}`, { root });
  t.match(problems, [{ file: path.join(root, 'f63.yaml'), line: 1, column: 11, message: /more than 64 files included by one scenario/ }]);
});

t.test('the root rule: the bundled suite is its own root; isInside is not fooled by a common prefix', async (t) => {
  const suite = bundledSuite();
  t.ok(suite?.endsWith('scenarios'), `the bundled suite is found (${suite})`);
  const file = path.join(suite ?? '', 'r04-recipients', 'empty-list-nobody-notified.yaml');
  // A root elsewhere does not matter for a bundled file (its includes are ../fragments/).
  const s = await loadScenario(file, { root: dir });
  t.ok(s.steps.length > 0, 'a bundled file with ../fragments includes loads whatever the root');
  t.ok(isInside('/a/b', '/a/b/c'));
  t.ok(isInside('/a/b', '/a/b'));
  t.notOk(isInside('/a/b', '/a/bc'));
  t.notOk(isInside('/a/b', '/a'));
  t.ok(isInside('/a/b', '/a/b/..c'), 'a name starting with .. is still inside');
});
