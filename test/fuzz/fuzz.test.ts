/**
 * The fuzzers of `npm run fuzz`, with small counts: FrameDecoder fed random
 * and mutated frames, loadScenario fed mutated scenario files. Only typed
 * errors, never a crash or a hang. The seed is printed as a TAP comment;
 * FUZZ_SEED=<seed> replays it (FUZZ_SCALE=10 for ten times the inputs).
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { DECODER_OUTCOMES, decoderCase, EVERY_OUTCOME_FROM, fuzzDecoder, PROTOCOL_ERROR_CODES, runDecoderCase } from '../../fuzz/fuzzDecoder.js';
import type { FuzzReport } from '../../fuzz/fuzzRun.js';
import { bundledScenariosDir, fuzzScenarioLoader, leakIn, outsideLines, plantHostiles, scenarioLoaderCase } from '../../fuzz/fuzzScenarioLoader.js';
import { formatReport } from '../../fuzz/report.js';
import { clockSeed, parseSeed, Rng } from '../../fuzz/rng.js';
import { SCENARIO_MUTATIONS } from '../../fuzz/scenarioMutations.js';
import { loadScenario } from '../../harness/scenario/loadScenario.js';
import { ScenarioInvalidError } from '../../harness/scenario/scenarioProblem.js';

const seed = parseSeed(process.env.FUZZ_SEED) ?? clockSeed();
const scale = Number(process.env.FUZZ_SCALE ?? '1') || 1;
// Small counts: the contract (typed errors only, no hang) on a few hundred inputs. That the
// generators reach every decoder outcome is checked by `npm run fuzz` (200,000 inputs; CI 20,000),
// which fails when one is never reached; the decoder's own tests cover each outcome directly.
const DECODER_INPUTS = Math.round(300 * scale);
const LOADER_INPUTS = Math.round(20 * scale);
/** The hang detector's limit here: generous, as other test files share the machine (inputs take ~0.1 ms to ~50 ms). */
const MAX_INPUT_MS = 5_000;

function comment(t: { comment(...m: unknown[]): void }, r: FuzzReport): void {
  for (const line of formatReport(r).split('\n')) t.comment(line);
}

t.comment(`fuzz seed=${seed} (replay: FUZZ_SEED=${seed})`);

t.test(`FrameDecoder: ${DECODER_INPUTS} random and mutated inputs throw only ProtocolErrors`, async (t) => {
  const r = await fuzzDecoder({ iterations: DECODER_INPUTS, seed, maxInputMs: MAX_INPUT_MS });
  comment(t, r);
  t.equal(r.aborted, undefined, 'the run was not aborted');
  t.equal(r.inputs, DECODER_INPUTS, 'every input ran');
  t.strictSame(r.violations, [], `no crash, no broken contract, no hang (seed=${seed})`);
  const codes = Object.keys(r.outcomes).filter((k) => k !== 'ok');
  t.ok(codes.every((c) => (PROTOCOL_ERROR_CODES as readonly string[]).includes(c)), `only known codes: ${codes.join(', ')}`);
  if (DECODER_INPUTS >= EVERY_OUTCOME_FROM) {
    // The generator reaches every decoder error, not just the first bytes.
    for (const code of DECODER_OUTCOMES) t.ok((r.outcomes[code] ?? 0) > 0, `some inputs end in ${code}`);
  }
});

t.test(`loadScenario: ${LOADER_INPUTS} mutated scenario files give ScenarioInvalidError or a scenario`, async (t) => {
  const r = await fuzzScenarioLoader({ iterations: LOADER_INPUTS, seed, maxInputMs: MAX_INPUT_MS });
  comment(t, r);
  t.equal(r.aborted, undefined, 'the run was not aborted');
  t.equal(r.inputs, LOADER_INPUTS, 'every input ran');
  t.strictSame(r.violations, [], `no crash, every problem at line >= 1 and column >= 1, no hang (seed=${seed})`);
  t.ok((r.outcomes.SCENARIO_INVALID ?? 0) > 0, 'mutations do make invalid files');
  t.same(Object.keys(r.outcomes).filter((k) => k !== 'ok' && k !== 'SCENARIO_INVALID'), [], 'no other outcome');
});

// Found by this fuzzer: `plugin: &p { <<: *p }` used to overflow the stack in YamlSource.entries.
t.test('a self-referential merge key is a ScenarioInvalidError, not a stack overflow', async (t) => {
  const file = path.join(import.meta.dirname, 'fixtures', 'self-merge-key.yaml');
  let thrown: unknown;
  try {
    await loadScenario(file);
  } catch (e) {
    thrown = e;
  }
  t.comment(`loadScenario(${path.relative(process.cwd(), file)}) threw ${thrown instanceof Error ? `${thrown.name}: ${thrown.message.split('\n')[0]}` : String(thrown)}`);
  t.ok(thrown !== undefined, 'the file is refused');
  t.ok(thrown instanceof ScenarioInvalidError, 'with ScenarioInvalidError');
  t.ok(thrown instanceof ScenarioInvalidError && thrown.problems.every((p) => p.line >= 1 && p.column >= 1), 'at a position');
  t.match(thrown instanceof Error ? thrown.message : '', 'refers back to the map it is in');
});

t.test('inputs are replayable from the seed and index alone', async (t) => {
  const a = decoderCase(seed, 17);
  const b = decoderCase(seed, 17);
  t.strictSame(a.bytes, b.bytes, 'the same decoder input');
  t.strictSame(a.cuts, b.cuts, 'in the same chunks');
  t.strictSame(runDecoderCase(a), runDecoderCase(b), 'with the same outcome');
  t.notSame(decoderCase(seed, 18).bytes, a.bytes, 'another index is another input');
  const s1 = await scenarioLoaderCase(seed, 3);
  const s2 = await scenarioLoaderCase(seed, 3);
  t.strictSame(s1, s2, 'the same mutated scenario');
  t.ok(bundledScenariosDir().endsWith('scenarios'), 'the bundled scenarios are found');
});

t.test('the checks catch what they must: a non-typed throw, an input over the time limit', async (t) => {
  // Something that is not bytes makes push() throw a TypeError: the checker must call it a crash.
  const notBytes = { ...decoderCase(1, 0), cuts: [], bytes: { buffer: 5, length: 2 } as unknown as Buffer };
  const crash = runDecoderCase(notBytes);
  t.equal(crash.outcome, 'crash', 'a non-ProtocolError is a crash');
  t.match(crash.violation?.detail ?? '', /non-ProtocolError escaped push\(\): TypeError/, 'naming what was thrown');

  const dir = await mkdtemp(path.join(os.tmpdir(), 'sipass-fuzz-selftest-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(path.join(dir, 'a.yaml'), 'name: x\nsteps:\n  - wait: 1s\n');
  const ok = await fuzzScenarioLoader({ iterations: 20, seed: 1, scenariosDir: dir, maxInputMs: MAX_INPUT_MS });
  t.equal(ok.inputs, 20, 'a custom scenarios directory is fuzzed');
  t.strictSame(ok.violations, [], 'without violations');
  t.strictSame(
    Object.keys(ok.outcomes).filter((k) => k !== 'ok' && k !== 'SCENARIO_INVALID'),
    [],
    'only ok or SCENARIO_INVALID',
  );

  // A heavy input (a 100,000-level nested JSON payload, tens of ms) against a 5 ms limit: the
  // watchdog terminates the worker (hang) or the worker reports it (slow); the caller never waits on it.
  t.ok(decoderCase(548034215, 162972).bytes.length > 100_000, 'input 162972 of seed 548034215 is a heavy one (if the generator changed, pick another)');
  const heavy = await fuzzDecoder({ iterations: 1, seed: 548034215, from: 162972, maxInputMs: 5 });
  t.comment(`over the limit: ${heavy.violations.map((v) => `${v.kind} #${v.index} ${v.detail}`).join('; ')}`);
  t.ok(heavy.violations.length === 1 && ['hang', 'slow'].includes(heavy.violations[0]?.kind ?? ''), 'an input over the time limit is reported');
  t.equal(heavy.violations[0]?.index, 162972, 'by its index');
  t.match(formatReport(heavy), /violations: 1/, 'and shown in the report');

  await t.rejects(fuzzDecoder({ iterations: -1, seed: 1 }), RangeError, 'a negative count is refused');
  t.throws(() => parseSeed('abc'), /FUZZ_SEED must be/, 'a bad FUZZ_SEED is refused');
  t.equal(parseSeed(undefined), undefined);
});

t.test('hostile classes (issue 11): each mutation ends in a clean problem or a load, nothing from outside the root', async (t) => {
  const base = await mkdtemp(path.join(os.tmpdir(), 'sipass-fuzz-hostile-'));
  t.teardown(() => rm(base, { recursive: true, force: true }));
  const root = path.join(base, 'scenarios');
  await cp(bundledScenariosDir(), root, { recursive: true });
  await plantHostiles(base, root);
  const secrets = outsideLines();
  const name = 'r04-recipients/empty-list-nobody-notified.yaml';
  const original = await readFile(path.join(root, name), 'utf8');
  const hostile = ['mergeFanOut', 'aliasFanOut', 'aliasChain', 'deepNesting', 'manySteps', 'overSizeCap', 'hostileInclude'];
  const kinds = new Set<string>();
  for (const [, mutation, mutate] of SCENARIO_MUTATIONS.filter(([, n]) => hostile.includes(n))) {
    for (let i = 0; i < 3; i++) {
      const text = mutate(new Rng(seed, i), original, { other: () => original, includeTargets: [] });
      await writeFile(path.join(root, name), text);
      const started = performance.now();
      const thrown = await loadScenario(path.join(root, name), { root }).then(
        () => undefined,
        (e: unknown) => e,
      );
      const ms = performance.now() - started;
      t.ok(thrown === undefined || thrown instanceof ScenarioInvalidError, `${mutation} #${i}: loads or ScenarioInvalidError (${ms.toFixed(0)} ms)`);
      if (thrown instanceof ScenarioInvalidError) {
        t.equal(leakIn(thrown, secrets), undefined, `${mutation} #${i}: no out-of-root content, no stack overflow`);
        for (const p of thrown.problems) kinds.add(p.message.replace(/[\d"*].*$/, ''));
      }
    }
  }
  t.comment(`problems seen: ${[...kinds].sort().join(' | ')}`);
  // The checker itself: a problem quoting the canary or a stack overflow is a leak.
  const canary = new ScenarioInvalidError([{ file: 'x.yaml', line: 1, column: 1, message: `unknown key "${secrets[0] ?? ''}"` }]);
  t.match(leakIn(canary, secrets), /quotes a file outside the scenario root/);
  const overflow = new ScenarioInvalidError([{ file: 'x.yaml', line: 1, column: 1, message: 'YAML: Maximum call stack size exceeded' }]);
  t.match(leakIn(overflow, secrets), /stack overflow/);
});
