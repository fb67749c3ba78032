import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { LoadOptions } from '../harness/scenario/loadScenario.js';
import { DEFAULT_LOAD_LIMITS, formatBytes, parseByteSize } from '../harness/scenario/loadLimits.js';
import { UsageError } from './command.js';
import { optString, type ParsedOptions } from './parseOptions.js';

/** The options every command that reads scenario files takes (run, validate, serve). */
export const SCENARIO_LOAD_OPTIONS = {
  root: { type: 'string' },
  'max-file-size': { type: 'string' },
  'max-steps': { type: 'string' },
} as const;

/** The options' usage lines, their descriptions starting at column `width` (to line up with a command's own). */
export function scenarioLoadUsage(width: number): string {
  const line = (flag: string, text: string): string => `  ${flag}`.padEnd(width) + text;
  const pad = ' '.repeat(width);
  return [
    line('--root DIR', 'includes must stay inside DIR (default: the current folder;'),
    `${pad}the bundled scenarios/ is always the root of its own files)`,
    line('--max-file-size N', `a scenario file's size limit, e.g. 4MiB (default ${formatBytes(DEFAULT_LOAD_LIMITS.maxFileBytes)})`),
    line('--max-steps N', `a scenario's step limit (default ${DEFAULT_LOAD_LIMITS.maxSteps})`),
  ].join('\n');
}

/** --root, --max-file-size, --max-steps -> loadScenario's options; bad values are usage errors (exit 2). */
export async function scenarioLoadOptions(values: ParsedOptions['values']): Promise<LoadOptions> {
  const out: LoadOptions = {};
  const root = optString(values.root);
  if (root !== undefined) {
    const st = await stat(root).catch(() => null);
    if (!st?.isDirectory()) throw new UsageError(`--root ${root}: not a folder`);
    out.root = path.resolve(root);
  }
  const size = optString(values['max-file-size']);
  const steps = optString(values['max-steps']);
  const limits: NonNullable<LoadOptions['limits']> = {};
  if (size !== undefined) {
    const n = parseByteSize(size);
    if (n === undefined) throw new UsageError(`--max-file-size ${size}: a size such as 4MiB, 512KiB or 2000000 (bytes)`);
    limits.maxFileBytes = n;
  }
  if (steps !== undefined) {
    if (!/^[1-9]\d*$/.test(steps) || !Number.isSafeInteger(Number(steps))) throw new UsageError(`--max-steps ${steps}: a whole number from 1`);
    limits.maxSteps = Number(steps);
  }
  if (Object.keys(limits).length > 0) out.limits = limits;
  return out;
}
