/**
 * Helpers for the scenario-driven property tests: build scenarios in code, run
 * them through the real runner, and turn every failure into a YAML scenario
 * file that `sipass-testbench run` replays with the same failure.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type fc from 'fast-check';
import { runScenario, stepLabel, type RunOptions } from '../../harness/runner/runScenario.js';
import type { ScenarioResult } from '../../harness/runner/results.js';
import type { Scenario, Step, StepAction } from '../../harness/scenario/scenario.js';
import { writeScenario } from '../../harness/scenario/writeScenario.js';
import { fcAssert, fcSeed, type CommentSink } from '../helpers/fcRun.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const projectRoot = path.resolve(here, '../..');

/** Where counterexample scenarios go: FC_FAILURES_DIR, else failures/ at the project root. */
export function failuresDir(): string {
  const env = process.env.FC_FAILURES_DIR;
  return env !== undefined && env.trim() !== '' ? path.resolve(env) : path.join(projectRoot, 'failures');
}

const GENERATED = { file: '<generated>', line: 0, column: 0 };

/** A step built in code (no file position). */
export function step(action: StepAction, title?: string): Step {
  return { ...action, ...(title !== undefined ? { title } : {}), at: { ...GENERATED } };
}

/** A scenario with the loader's defaults, overridden by `s`. */
export function scenario(s: Partial<Scenario> & { name: string }): Scenario {
  return {
    file: '<generated>',
    description: '',
    rules: [],
    tags: ['property'],
    seed: 1,
    population: {},
    plugin: null,
    invariants: [],
    steps: [],
    ...s,
    server: { host: '127.0.0.1', names: [], port: 5645, syncRate: 0, batchSize: 500, ...s.server },
    securityCenter: { users: [], groups: {}, partitions: [], role: 'SiPass plugin', alarms: [], ...s.securityCenter },
  };
}

/** The failing steps of a result, as the pretty reporter names them (label + what differs). */
export function failureSummary(r: ScenarioResult): string {
  const lines: string[] = [];
  if (r.error) lines.push(`error ${r.error.code}: ${r.error.message}`);
  for (const s of r.steps) {
    if (s.status === 'passed') continue;
    lines.push(`step ${s.index + 1}: ${s.label}`);
    if (s.error) lines.push(`  error ${s.error.code}: ${s.error.message}`);
    for (const m of s.mismatches) lines.push(`  ${m.what}: expected ${JSON.stringify(m.expected)}, actual ${JSON.stringify(m.actual)}`);
  }
  for (const v of r.invariantViolations) lines.push(`invariant ${v.invariant}: ${v.message}`);
  return lines.join('\n');
}

/** The first mismatch's `what` (or error code): what a replay must fail on too. */
export function firstFailure(r: ScenarioResult): string | undefined {
  for (const s of r.steps) {
    if (s.error) return s.error.code;
    const m = s.mismatches[0];
    if (m) return m.what;
  }
  return r.invariantViolations[0]?.invariant ?? r.error?.code;
}

/** Per running property: where its counterexample goes (the last failing run is the shrunk one). */
interface PropertyRun {
  name: string;
  seed: number;
  lastFile: string | undefined;
}
let current: PropertyRun | undefined;

function fileName(name: string, seed: number): string {
  return `${name.replace(/[^A-Za-z0-9_-]+/g, '-')}-seed${seed}.yaml`;
}

/** The error a failing scenario raises inside a property (names the counterexample file). */
export class ScenarioFailure extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly result: ScenarioResult,
  ) {
    super(message);
  }
}

/**
 * Runs a generated scenario; any failure writes it as YAML (overwriting the
 * property's file: the last failing run is fast-check's shrunk
 * counterexample) and throws naming the file and the failing step.
 */
export async function checkScenario(
  s: Scenario,
  options: RunOptions = {},
  extraCheck?: (r: ScenarioResult) => string | undefined,
  /** The file's name when not inside assertScenarioProperty (default: the property's name and seed). */
  fileStem?: string,
): Promise<ScenarioResult> {
  const r = await runScenario(s, options);
  const extra = r.status === 'passed' ? extraCheck?.(r) : undefined;
  if (r.status === 'passed' && extra === undefined) return r;
  const run = current ?? { name: 'property', seed: 0, lastFile: undefined };
  const dir = failuresDir();
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, fileStem !== undefined ? `${fileStem.replace(/[^A-Za-z0-9_-]+/g, '-')}.yaml` : fileName(run.name, run.seed));
  const summary = extra ?? failureSummary(r);
  const header = [
    fileStem !== undefined ? `Failing case ${fileStem}.` : `Counterexample of the property "${run.name}" (fast-check seed=${run.seed}).`,
    `Replay: node dist/cli/main.js run ${path.relative(projectRoot, file) || file}`,
    ...(options.roleOptions?.faultInjection?.shareRecipientList ? ['Found with a known bug injected: replay with SIPASS_TESTBENCH_INJECT_BUG=share-recipient-list'] : []),
    'Failure:',
    ...summary.split('\n').map((l) => `  ${l}`),
  ];
  writeFileSync(file, writeScenario({ ...s, name: `${s.name} (counterexample)` }, header));
  run.lastFile = file;
  throw new ScenarioFailure(`scenario failed; counterexample scenario written to ${file}\n${summary}`, file, r);
}

/**
 * fcAssert (seed printed, FC_SEED / FC_PATH / FC_NUM_RUNS honoured) for a
 * property whose runs call checkScenario: on failure the message also names
 * the YAML file holding the shrunk counterexample.
 */
export async function assertScenarioProperty<Ts>(
  t: CommentSink,
  name: string,
  property: fc.IAsyncPropertyWithHooks<Ts> | fc.IRawProperty<Ts>,
  params: fc.Parameters<Ts> = {},
): Promise<void> {
  const seed = params.seed ?? fcSeed();
  const run: PropertyRun = { name, seed, lastFile: undefined };
  current = run;
  try {
    await fcAssert(t, property, { ...params, seed });
  } catch (e) {
    const where = run.lastFile ? `\nCounterexample scenario (replay with: node dist/cli/main.js run ${path.relative(projectRoot, run.lastFile)}): ${run.lastFile}` : '';
    throw new Error(`${(e as Error).message}${where}`, { cause: e });
  } finally {
    current = undefined;
  }
}

/** The file the last failing run of `assertScenarioProperty` wrote (from its error message). */
export function counterexampleFile(message: string): string | undefined {
  return /Counterexample scenario \(replay with: [^)]*\): (.+\.yaml)/.exec(message)?.[1];
}

export { stepLabel };
