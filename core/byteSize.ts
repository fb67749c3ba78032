import { TestbenchError } from './testbenchError.js';

const UNITS: Record<string, number> = { '': 1, b: 1, byte: 1, bytes: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3 };

/**
 * Parses "65536", "64KiB", "8MiB", "1 GiB" (binary units; KB and MB mean the same here) into
 * bytes. Throws BYTES_INVALID naming the value.
 */
export function parseByteSize(value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = UNITS[(m?.[2] ?? '?').toLowerCase()];
  if (!m || unit === undefined) {
    throw new TestbenchError('BYTES_INVALID', `"${value}" is not a size (use e.g. 65536, 64KiB, 8MiB)`);
  }
  return Math.round(Number(m[1]) * unit);
}
