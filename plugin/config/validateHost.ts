import net from 'node:net';

const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/**
 * R2: an RFC 1123 hostname, an IPv4 literal or an IPv6 literal (bracketed or
 * not). Returns the normalised host (IPv6 without brackets) or a reason.
 */
export function validateHost(value: unknown): { ok: true; host: string } | { ok: false; reason: string } {
  if (typeof value !== 'string') return { ok: false, reason: 'must be a hostname or an IP address' };
  if (value.length === 0) return { ok: false, reason: 'must not be empty' };
  if (/\s/.test(value)) return { ok: false, reason: 'must not contain spaces' };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return { ok: false, reason: 'is a URL: enter only the hostname or IP address, without a scheme' };
  const bracketed = /^\[(.*)\]$/.exec(value);
  if (bracketed) {
    const inner = bracketed[1] ?? '';
    return net.isIPv6(inner) ? { ok: true, host: inner } : { ok: false, reason: 'is not a valid IPv6 address' };
  }
  if (net.isIPv6(value)) return { ok: true, host: value };
  if (/^\[.*\]:\d+$/.test(value) || /^[^:]+:\d+$/.test(value)) {
    return { ok: false, reason: 'has a port glued to it: put the port in the Port field' };
  }
  if (value.includes(':')) return { ok: false, reason: 'is not a valid hostname or IP address' };
  if (/^[\d.]+$/.test(value)) {
    return net.isIPv4(value) ? { ok: true, host: value } : { ok: false, reason: 'is not a valid IPv4 address' };
  }
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  if (name.length > 253) return { ok: false, reason: 'is longer than 253 characters' };
  if (!name.split('.').every((l) => LABEL.test(l))) {
    return { ok: false, reason: 'is not a valid hostname (letters, digits and hyphens, dot-separated)' };
  }
  return { ok: true, host: value };
}
