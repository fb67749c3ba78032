import { UsageError } from './command.js';

/** "127.0.0.1:8080", "[::1]:0", "localhost:9000", or a bare port (127.0.0.1). */
export function parseControlAddress(value: string, option: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d+)$/.exec(value.trim()) ?? /^()()(\d+)$/.exec(value.trim());
  const port = Number(m?.[3]);
  if (!m || !Number.isInteger(port) || port > 65535) {
    throw new UsageError(`${option} ${JSON.stringify(value)} is not an address (use e.g. 127.0.0.1:0, [::1]:7000, or a port)`);
  }
  const host = m[1] ?? (m[2] || '127.0.0.1');
  return { host, port };
}
