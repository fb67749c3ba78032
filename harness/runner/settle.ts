import type { PluginRole } from '../../plugin/pluginRole.js';
import type { SiPassServer } from '../../simulator/sipassServer.js';
import type { VirtualNetwork } from './virtualNetwork.js';

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));
const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const many = <T>(x: T | readonly T[]): readonly T[] => (Array.isArray(x) ? (x as readonly T[]) : [x as T]);

/**
 * Lets real loopback I/O finish before simulated time moves: waits until no
 * connect is pending and no byte moved either way (on any server, any role)
 * for a few event-loop turns and a few milliseconds (loopback delivers in
 * microseconds). Bounded in wall time, so a stuck peer cannot hang a run.
 */
export async function settle(
  server: SiPassServer | readonly SiPassServer[],
  role: PluginRole | null | ReadonlyArray<PluginRole | null>,
  net: VirtualNetwork,
  maxWallMs = 10_000,
): Promise<void> {
  const servers = many(server);
  const roles = many(role);
  const started = Date.now();
  let last = '';
  let stable = 0;
  for (;;) {
    if (stable < 3) await turn();
    else await pause(1);
    let sig = `${net.pendingConnects}/${net.dials}`;
    for (const sv of servers) {
      const s = sv.stats();
      sig += `/${s.bytesOut}/${s.bytesIn}/${s.connections}`;
    }
    for (const r of roles) {
      const io = r?.io();
      sig += `/${io?.totalBytesIn ?? 0}/${io?.totalBytesOut ?? 0}`;
    }
    if (sig === last && net.pendingConnects === 0) stable++;
    else {
      stable = 0;
      last = sig;
    }
    if (stable >= 6) return;
    if (Date.now() - started > maxWallMs) return;
  }
}
