import { parseDuration } from '../../core/duration.js';
import type { Fault, FaultName, FaultSpec } from './fault.js';

/**
 * Reads one fault's options, collecting every problem (the scenario loader
 * reports them at the step's line; `serve --fault` prints them). Values may
 * be numbers or numeric strings (a CLI flag); `ms` options also take
 * durations ("250ms", "2s").
 */
export class FaultOptions {
  readonly problems: string[] = [];
  private readonly known = new Set<string>();

  constructor(
    readonly fault: FaultName,
    private readonly raw: Record<string, unknown>,
  ) {}

  has(key: string): boolean {
    this.known.add(key);
    return this.raw[key] !== undefined && this.raw[key] !== null;
  }

  value(key: string): unknown {
    this.known.add(key);
    return this.raw[key];
  }

  number(key: string, o: { def: number; min?: number; max?: number; integer?: boolean; duration?: boolean }): number {
    this.known.add(key);
    const v = this.raw[key];
    if (v === undefined || v === null) return o.def;
    let n: number = Number.NaN;
    if (typeof v === 'number') n = v;
    else if (typeof v === 'string' && v.trim() !== '') {
      if (o.duration) {
        try {
          n = parseDuration(v);
        } catch {
          n = Number.NaN;
        }
      } else n = Number(v);
    }
    const min = o.min ?? 0;
    const max = o.max ?? Number.MAX_SAFE_INTEGER;
    if (!Number.isFinite(n) || n < min || n > max || (o.integer === true && !Number.isInteger(n))) {
      this.problems.push(
        `${this.fault}.${key} must be ${o.integer ? 'a whole number' : o.duration ? 'a duration in ms (or e.g. "250ms")' : 'a number'} ${max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`}, got ${JSON.stringify(v)}`,
      );
      return o.def;
    }
    return n;
  }

  probability(key: string, def: number): number {
    return this.number(key, { def, min: 0, max: 1 });
  }

  oneOf<T extends string>(key: string, values: readonly T[], def: T): T {
    this.known.add(key);
    const v = this.raw[key];
    if (v === undefined || v === null) return def;
    if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
    this.problems.push(`${this.fault}.${key} must be one of ${values.join(', ')}, got ${JSON.stringify(v)}`);
    return def;
  }

  /** Reports keys no reader asked for. Call after reading every option. */
  finish(): void {
    for (const k of Object.keys(this.raw)) {
      if (!this.known.has(k)) {
        this.problems.push(`unknown option "${k}" for fault ${this.fault}${this.known.size ? ` (options: ${[...this.known].join(', ')})` : ' (it takes none)'}`);
      }
    }
  }
}

/** One fault module: its name, a line of help, and how it is built from a spec. */
export interface FaultDefinition {
  name: FaultName;
  /** Options as written after `--fault NAME:`, e.g. "ms=N,jitterMs=N". */
  usage: string;
  summary: string;
  define(spec: FaultSpec, o: FaultOptions): Fault;
}
