import net from 'node:net';

/** Whether `host` only reaches this machine (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) {
    if (h === '::1' || /^0{0,4}(:0{0,4}){6}:0{0,3}1$/.test(h)) return true;
    // IPv4-mapped loopback, ::ffff:127.x.y.z
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
    return mapped !== null && (mapped[1] ?? '').startsWith('127.');
  }
  return false;
}

/**
 * What `serve` prints (on stderr) when it listens beyond loopback: the fake server has no
 * authentication and hands every connecting peer the whole site, names and card numbers included.
 */
export function exposureWarning(host: string, port: number): string | undefined {
  if (isLoopbackHost(host)) return undefined;
  const where = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  const scope = host === '0.0.0.0' || host === '::' ? 'every network interface of this machine' : `the network through ${host}`;
  return (
    `WARNING: listening on ${where}, reachable from ${scope}. This fake SiPass server is ` +
    'unauthenticated: anyone who connects receives the whole site, personal data included ' +
    '(cardholder names, card numbers). Use --host 127.0.0.1 unless other machines must connect.'
  );
}
