/**
 * R3: an integer 1..65535, or its decimal string ("5645" is normalised to
 * 5645). Returns the port or a reason.
 */
export function validatePort(value: unknown): { ok: true; port: number } | { ok: false; reason: string } {
  let n: number;
  if (typeof value === 'number') {
    n = value;
  } else if (typeof value === 'string') {
    if (!/^[0-9]+$/.test(value)) return { ok: false, reason: 'must be a whole number from 1 to 65535' };
    n = Number(value);
  } else {
    return { ok: false, reason: 'must be a whole number from 1 to 65535' };
  }
  if (!Number.isInteger(n) || n < 1 || n > 65535) return { ok: false, reason: 'must be a whole number from 1 to 65535' };
  return { ok: true, port: n };
}
