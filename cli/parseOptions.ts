import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseByteSize } from '../core/byteSize.js';
import { MAX_TIMER_MS, parseDuration } from '../core/duration.js';
import { validateHost } from '../plugin/config/validateHost.js';
import { validatePort } from '../plugin/config/validatePort.js';
import { UsageError } from './command.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs, with its errors turned into UsageError (exit 2). */
export interface ParsedOptions {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

export function parseOptions(argv: string[], options: Options, allowPositionals = false): ParsedOptions {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true }) as ParsedOptions;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function hostOption(value: string | undefined, fallback: string): string {
  if (value === undefined) return fallback;
  const h = validateHost(value);
  if (!h.ok) throw new UsageError(`--host ${JSON.stringify(value)} ${h.reason}`);
  return h.host;
}

/** --port: 1..65535, or 0 (ephemeral) where `allowZero`. */
export function portOption(value: string | undefined, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  if (allowZero && value === '0') return 0;
  const p = validatePort(value);
  if (!p.ok) throw new UsageError(`--port ${JSON.stringify(value)} ${p.reason}${allowZero ? ' (or 0 for any free port)' : ''}`);
  return p.port;
}

/**
 * A duration flag. On the command line a duration always has a unit: a bare
 * `--timeout 3` is refused with a hint instead of being read as 3 ms (or 3 s)
 * by surprise. Values past Node's longest timer (2^31-1 ms, about 24.8 days)
 * are refused: setTimeout would fire after 1 ms instead.
 */
export function durationOption(name: string, value: string | undefined, fallback: number, o: { anyLength?: boolean } = {}): number {
  if (value === undefined) return fallback;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) throw new UsageError(`--${name} ${text}: a duration needs a unit (use ${text}s or ${text}ms)`);
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch {
    throw new UsageError(`--${name} ${JSON.stringify(value)} is not a duration (use e.g. 500ms, 30s, 2m, 1h30m)`);
  }
  // A simulated-time limit is never a timer: any length is fine there.
  if (ms > MAX_TIMER_MS && o.anyLength !== true) throw new UsageError(`--${name} ${text} is longer than the longest timer Node can set (2147483647ms, about 24.8 days)`);
  return ms;
}

export function listOption(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** A string option's value (parseArgs types them loosely). */
export const optString = (v: ParsedOptions['values'][string]): string | undefined => (typeof v === 'string' ? v : undefined);

export function byteSizeOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  try {
    return parseByteSize(value);
  } catch {
    throw new UsageError(`--${name} ${JSON.stringify(value)} is not a size (use e.g. 65536, 64KiB, 8MiB; 0 = no cap)`);
  }
}

export function countOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`--${name} ${JSON.stringify(value)} is not a whole number`);
  return Number(value);
}
