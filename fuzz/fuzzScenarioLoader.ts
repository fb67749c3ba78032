import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../harness/scenario/loadScenario.js';
import { ScenarioInvalidError } from '../harness/scenario/scenarioProblem.js';
import { describeThrown, emptyTally, runIsolated, type FuzzOptions, type FuzzReport, type Tally, type Violation } from './fuzzRun.js';
import { Rng } from './rng.js';
import { HOSTILE_INCLUDES, mutateScenario, type MutationContext } from './scenarioMutations.js';

/** The bundled scenarios/: next to fuzz/ in the source tree, two levels up from dist/fuzz/. */
export function bundledScenariosDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = path.join(dir, 'scenarios');
    if (existsSync(path.join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error(`cannot find the bundled scenarios/ above ${fileURLToPath(import.meta.url)}`);
}

async function yamlFiles(root: string, dir = root): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await yamlFiles(root, p)));
    else if (/\.ya?ml$/.test(e.name)) out.push(path.relative(root, p));
  }
  return out.sort();
}

/** Which files include which (so a mutated fragment is also loaded through a scenario that includes it). */
function includers(files: ReadonlyMap<string, string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [file, text] of files) {
    const m = /^include:\s*\[?([^\]\n]*)\]?/m.exec(text);
    for (const target of (m?.[1] ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
      const rel = path.normalize(path.join(path.dirname(file), target));
      out.set(rel, [...(out.get(rel) ?? []), file]);
    }
  }
  return out;
}

/** What is wrong with a ScenarioInvalidError, if anything: every problem needs a file and a position from 1:1. */
function invalidProblem(e: ScenarioInvalidError): string | undefined {
  if (!Array.isArray(e.problems) || e.problems.length === 0) return 'ScenarioInvalidError without problems';
  for (const p of e.problems) {
    const at = `${String(p.file)}:${String(p.line)}:${String(p.column)}`;
    if (typeof p.file !== 'string' || p.file === '') return `a problem without a file (${at}: ${p.message})`;
    if (!Number.isInteger(p.line) || p.line < 1) return `a problem at line ${String(p.line)} (${at}: ${p.message})`;
    if (!Number.isInteger(p.column) || p.column < 1) return `a problem at column ${String(p.column)} (${at}: ${p.message})`;
    if (typeof p.message !== 'string' || p.message.trim() === '') return `a problem without a message (${at})`;
  }
  return undefined;
}

/** A problem's message reduced to its kind, for the tally ("YAML", "unknown key", "must be", ...). */
function problemKind(message: string): string {
  if (/nested more than|nested past column|nests maps and lists|expand to more than|alias cycle/.test(message)) return 'yaml budget';
  if (/over the limit|over the .* limit for one scenario file|more than \d+ files included/.test(message)) return 'size or count limit';
  if (/outside the scenario root|not a regular file/.test(message)) return 'include confined';
  if (message.startsWith('YAML:')) return 'yaml syntax';
  if (/^include /.test(message) || /include cycle/.test(message)) return 'include';
  if (/unknown key/.test(message)) return 'unknown key';
  if (/is not a duration/.test(message)) return 'duration';
  if (/is never defined/.test(message)) return 'undefined alarm';
  if (/missing|needs/.test(message)) return 'missing';
  if (/must be/.test(message)) return 'wrong type or range';
  return 'other';
}

interface LoadOutcome {
  outcome: string;
  kinds: string[];
  violation?: string;
  kind?: Violation['kind'];
}

/** A file outside the scenario root whose text must never show in a problem (loaderRange plants it). */
const CANARY = 'fuzz-canary-outside-the-root';

/** Lines of files outside every root the fuzzer uses: none may show in a problem. */
export function outsideLines(): string[] {
  const out = [CANARY];
  for (const f of ['/etc/passwd', '/etc/hostname']) {
    try {
      out.push(...readFileSync(f, 'utf8').split('\n').filter((l) => l.trim().length >= 8));
    } catch {
      /* not on this system */
    }
  }
  return out;
}

/** What no problem may say: content from outside the root, or a stack overflow the limits should have prevented. */
export function leakIn(e: ScenarioInvalidError, secrets: readonly string[]): string | undefined {
  for (const p of e.problems) {
    const m = String(p.message);
    const secret = secrets.find((l) => m.includes(l));
    if (secret !== undefined) return `a problem quotes a file outside the scenario root (${JSON.stringify(secret.slice(0, 40))}): ${p.file}:${p.line}:${p.column}: ${m.slice(0, 200)}`;
    if (/Maximum call stack|RangeError/.test(m)) return `a problem reports a stack overflow instead of a limit: ${p.file}:${p.line}:${p.column}: ${m.slice(0, 200)}`;
  }
  return undefined;
}

async function tryLoad(file: string, root: string, secrets: readonly string[]): Promise<LoadOutcome> {
  try {
    // The temporary copy is the scenario root, as the bundled folder is for the originals.
    await loadScenario(file, { root });
    return { outcome: 'ok', kinds: [] };
  } catch (e) {
    if (!(e instanceof ScenarioInvalidError)) return { outcome: 'crash', kinds: [], violation: `loadScenario threw something else than ScenarioInvalidError: ${describeThrown(e)}`, kind: 'crash' };
    const problem = invalidProblem(e);
    const kinds = [...new Set(e.problems.map((p) => problemKind(String(p.message))))];
    if (problem !== undefined) return { outcome: 'contract', kinds, violation: problem, kind: 'contract' };
    const leak = leakIn(e, secrets);
    if (leak !== undefined) return { outcome: 'leak', kinds, violation: leak, kind: 'leak' };
    return { outcome: e.code, kinds };
  }
}

/**
 * Hostile neighbours for the copy in `root` (= base/scenarios): a canary file
 * outside the root, a link to it inside, a FIFO (where mkfifo exists) and a
 * folder, at the paths HOSTILE_INCLUDES names.
 */
export async function plantHostiles(base: string, root: string): Promise<void> {
  await writeFile(path.join(base, 'outside-secret.yaml'), `${CANARY}: 1\npopulation: { cardholders: 1 }\n`);
  await symlink(path.join(base, 'outside-secret.yaml'), path.join(root, 'leak.yaml'));
  await mkdir(path.join(root, 'special'), { recursive: true });
  spawnSync('mkfifo', [path.join(root, 'special', 'pipe.yaml')]);
}

/**
 * Inputs [from, to) of the run with `seed`, in this thread: each mutates one
 * bundled file inside a temporary copy of the scenarios directory (so
 * includes still resolve), loads it (and, for a fragment, a scenario that
 * includes it), and puts the file back.
 */
export async function loaderRange(
  seed: number,
  from: number,
  to: number,
  progress: (index: number, tally: Tally) => void,
  maxInputMs: number,
  maxViolations: number,
  scenariosDir = bundledScenariosDir(),
): Promise<Tally> {
  const tally = emptyTally(maxViolations);
  const names = await yamlFiles(scenariosDir);
  if (names.length === 0) throw new Error(`no .yaml files under ${scenariosDir}`);
  const originals = new Map<string, string>();
  for (const n of names) originals.set(n, await readFile(path.join(scenariosDir, n), 'utf8'));
  const includedBy = includers(originals);
  const base = await mkdtemp(path.join(os.tmpdir(), 'sipass-fuzz-scenarios-'));
  const tmp = path.join(base, 'scenarios');
  const secrets = outsideLines();
  try {
    await cp(scenariosDir, tmp, { recursive: true });
    await plantHostiles(base, tmp);
    for (let i = from; i < to; i++) {
      progress(i, tally);
      const started = performance.now();
      const { rng, name, original, text, recipe } = makeCase(seed, i, names, originals);
      const target = path.join(tmp, name);
      await writeFile(target, text);
      const results: LoadOutcome[] = [await tryLoad(target, tmp, secrets)];
      const via = includedBy.get(name);
      const includer = via !== undefined && via.length > 0 ? path.join(tmp, rng.pick(via)) : undefined;
      if (includer !== undefined) results.push(await tryLoad(includer, tmp, secrets));
      let ms = performance.now() - started;
      if (ms > maxInputMs && results.every((r) => r.violation === undefined)) {
        // Wall time on a shared CI machine includes other work: the input is slow only if loading it
        // again (the same file, the same includer) is slow too. A real super-linear case is slow both times.
        const again = performance.now();
        await tryLoad(target, tmp, secrets);
        if (includer !== undefined) await tryLoad(includer, tmp, secrets);
        ms = Math.min(ms, performance.now() - again);
      }
      await writeFile(target, original);

      tally.inputs++;
      tally.bytes += Buffer.byteLength(text);
      for (const step of recipe) tally.recipes[step] = (tally.recipes[step] ?? 0) + 1;
      for (const r of results) {
        tally.outcomes[r.outcome] = (tally.outcomes[r.outcome] ?? 0) + 1;
        for (const k of r.kinds) tally.recipes[`problem: ${k}`] = (tally.recipes[`problem: ${k}`] ?? 0) + 1;
      }
      if (ms > tally.slowestMs) {
        tally.slowestMs = ms;
        tally.slowestIndex = i;
      }
      const bad = results.find((r) => r.violation !== undefined);
      if (bad) {
        tally.violations.push({ seed, index: i, ms, kind: bad.kind ?? 'crash', detail: `${bad === results[0] ? name : `a scenario including ${name}`}: ${bad.violation ?? ''}`, recipe: recipe.join('+'), input: text, file: name });
      } else if (ms > maxInputMs) {
        tally.violations.push({ seed, index: i, ms, kind: 'slow', detail: `loading took ${ms.toFixed(0)} ms (limit ${maxInputMs} ms)`, recipe: recipe.join('+'), input: text, file: name });
      }
      if (tally.violations.length >= maxViolations) break;
    }
  } finally {
    await rm(base, { recursive: true, force: true });
  }
  return tally;
}

/** Input `index` of the run with `seed`: which file, mutated how. */
function makeCase(seed: number, index: number, names: readonly string[], originals: ReadonlyMap<string, string>) {
  const rng = new Rng(seed, index);
  const name = rng.pick(names);
  const original = originals.get(name) ?? '';
  const ctx: MutationContext = {
    other: () => originals.get(rng.pick(names)) ?? '',
    includeTargets: [
      path.basename(name),
      name,
      'nowhere.yaml',
      '.',
      '..',
      '../fragments/small-site.yaml',
      'fragments/small-site.yaml',
      ...names.map((n) => path.relative(path.dirname(name), n)),
      ...HOSTILE_INCLUDES.slice(0, 4),
    ],
  };
  return { rng, name, original, ...mutateScenario(rng, original, ctx) };
}

/** The mutated text of input `index` of the run with `seed` (to replay a violation by hand). */
export async function scenarioLoaderCase(seed: number, index: number, scenariosDir = bundledScenariosDir()): Promise<{ file: string; text: string; recipe: string[] }> {
  const names = await yamlFiles(scenariosDir);
  const originals = new Map<string, string>();
  for (const n of names) originals.set(n, await readFile(path.join(scenariosDir, n), 'utf8'));
  const { name, text, recipe } = makeCase(seed, index, names, originals);
  return { file: name, text, recipe };
}

/**
 * Fuzzes loadScenario with `iterations` mutated copies of the bundled
 * scenario files: each must load, or fail with ScenarioInvalidError whose
 * every problem has a file, line >= 1 and column >= 1; never anything else,
 * never a hang (the run is in a worker thread, watched from this one).
 */
export function fuzzScenarioLoader(options: FuzzOptions): Promise<FuzzReport> {
  return runIsolated('loader', options);
}
