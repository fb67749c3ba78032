import { TestbenchError } from '../../core/testbenchError.js';
import { bandwidth } from './bandwidth.js';
import { disorder } from './disorder.js';
import { FAULT_NAMES, type Fault, type FaultName, type FaultSpec } from './fault.js';
import { foreignProtocol } from './foreignProtocol.js';
import { garbage } from './garbage.js';
import { latency } from './latency.js';
import { FaultOptions, type FaultDefinition } from './options.js';
import { oversize } from './oversize.js';
import { resetAfter } from './resetAfter.js';
import { silence } from './silence.js';
import { slicer } from './slicer.js';
import { slowClose } from './slowClose.js';
import { truncate } from './truncate.js';
import { wrongVersion } from './wrongVersion.js';

export { FAULT_NAMES, type Fault, type FaultName, type FaultSpec } from './fault.js';
export { FaultPipeline } from './faultPipeline.js';

/** Every fault module, by name. */
export const FAULTS: Record<FaultName, FaultDefinition> = {
  resetAfter,
  latency,
  bandwidth,
  slicer,
  slowClose,
  garbage,
  truncate,
  oversize,
  wrongVersion,
  foreignProtocol,
  silence,
  disorder,
};

const COMMON = ['toxicity', 'seed', 'times'] as const;

function isName(x: string): x is FaultName {
  return (FAULT_NAMES as readonly string[]).includes(x);
}

/** Builds the fault, or lists every problem of the spec. */
export function checkFault(spec: FaultSpec): { fault?: Fault; problems: string[] } {
  const problems: string[] = [];
  const def = FAULTS[spec.name] as FaultDefinition | undefined;
  if (!def) return { problems: [`unknown fault "${String(spec.name)}" (faults: ${FAULT_NAMES.join(', ')})`] };
  if (spec.toxicity !== undefined && !(Number.isFinite(spec.toxicity) && spec.toxicity >= 0 && spec.toxicity <= 1)) {
    problems.push(`toxicity must be a probability from 0 to 1, got ${JSON.stringify(spec.toxicity)}`);
  }
  if (spec.seed !== undefined && !(Number.isInteger(spec.seed) && spec.seed >= 0 && spec.seed <= 0xffffffff)) {
    problems.push(`seed must be a whole number from 0 to 4294967295, got ${JSON.stringify(spec.seed)}`);
  }
  if (spec.times !== undefined && !(Number.isInteger(spec.times) && spec.times >= 1)) {
    problems.push(`times must be a whole number from 1, got ${JSON.stringify(spec.times)}`);
  }
  const o = new FaultOptions(spec.name, spec.options);
  const fault = def.define(spec, o);
  o.finish();
  problems.push(...o.problems);
  return problems.length > 0 ? { problems } : { fault, problems };
}

/** Builds a fault from a checked spec; throws FAULT_INVALID listing every problem. */
export function createFault(spec: FaultSpec): Fault {
  const r = checkFault(spec);
  if (!r.fault) throw new TestbenchError('FAULT_INVALID', `bad fault ${String(spec.name)}: ${r.problems.join('; ')}`, { problems: r.problems });
  return r.fault;
}

const num = (v: unknown): number | undefined => (v === undefined || v === null ? undefined : typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN);

/**
 * The written form of a fault (a scenario step's `fault:` map):
 * `{ latency: { ms: 200, jitterMs: 50 }, toxicity: 0.5, seed: 3, times: 2 }`,
 * exactly one fault name, its options a map (or true / null for none).
 */
export function readFaultSpec(input: unknown): { spec?: FaultSpec; problems: string[] } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { problems: [`a fault must be a map such as { latency: { ms: 200 }, toxicity: 0.5, seed: 1 } (faults: ${FAULT_NAMES.join(', ')})`] };
  }
  const obj = input as Record<string, unknown>;
  const problems: string[] = [];
  const names = Object.keys(obj).filter((k) => !(COMMON as readonly string[]).includes(k));
  const faults = names.filter(isName);
  for (const k of names) if (!isName(k)) problems.push(`unknown fault "${k}" (faults: ${FAULT_NAMES.join(', ')}; common options: ${COMMON.join(', ')})`);
  if (faults.length !== 1) {
    if (problems.length === 0) problems.push(faults.length === 0 ? `no fault named (one of ${FAULT_NAMES.join(', ')})` : `${faults.length} faults in one step (${faults.join(', ')}): write one per step`);
    return { problems };
  }
  const name = faults[0] as FaultName;
  const raw = obj[name];
  let options: Record<string, unknown> = {};
  if (raw === null || raw === true || raw === undefined) options = {};
  else if (typeof raw === 'object' && !Array.isArray(raw)) options = { ...(raw as Record<string, unknown>) };
  else if (name === 'resetAfter' && raw === 'live') options = { point: 'live' };
  else problems.push(`${name} takes a map of options (${FAULTS[name].usage}), got ${JSON.stringify(raw)}`);
  const toxicity = num(obj.toxicity);
  const seed = num(obj.seed);
  const times = num(obj.times);
  const spec: FaultSpec = { name, options, ...(toxicity !== undefined ? { toxicity } : {}), ...(seed !== undefined ? { seed } : {}), ...(times !== undefined ? { times } : {}) };
  if (problems.length > 0) return { problems };
  const checked = checkFault(spec);
  return checked.problems.length > 0 ? { problems: checked.problems } : { spec, problems: [] };
}

/** As readFaultSpec, throwing FAULT_INVALID. */
export function parseFaultSpec(input: unknown): FaultSpec {
  const r = readFaultSpec(input);
  if (!r.spec) throw new TestbenchError('FAULT_INVALID', `bad fault: ${r.problems.join('; ')}`, { problems: r.problems });
  return r.spec;
}

/**
 * `serve --fault NAME[:k=v,...]`: e.g. `latency:ms=200,jitterMs=50,toxicity=0.5,seed=3`
 * or `resetAfter:afterBatch=3,type=cardholders`. toxicity, seed and times are
 * the common options; the others are the fault's.
 */
export function parseFaultArg(arg: string): FaultSpec {
  const colon = arg.indexOf(':');
  const name = (colon < 0 ? arg : arg.slice(0, colon)).trim();
  const body = colon < 0 ? '' : arg.slice(colon + 1);
  const options: Record<string, unknown> = {};
  const written: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const part of body.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const eq = part.indexOf('=');
    if (eq <= 0) {
      problems.push(`"${part}" is not key=value`);
      continue;
    }
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if ((COMMON as readonly string[]).includes(k)) written[k] = v;
    else options[k] = v;
  }
  if (problems.length > 0) throw new TestbenchError('FAULT_INVALID', `bad --fault ${JSON.stringify(arg)}: ${problems.join('; ')}`, { problems });
  try {
    return parseFaultSpec({ ...written, [name]: options });
  } catch (e) {
    throw new TestbenchError('FAULT_INVALID', `bad --fault ${JSON.stringify(arg)}: ${(e as Error).message.replace(/^bad fault: /, '')}`);
  }
}

/** Help text: one line per fault. */
export function faultUsage(indent = '  '): string {
  return FAULT_NAMES.map((n) => `${indent}${n}:${FAULTS[n].usage}\n${indent}    ${FAULTS[n].summary}`).join('\n');
}
