import type { PluginRole } from '../../plugin/pluginRole.js';
import type { SiPassServer } from '../../simulator/sipassServer.js';
import type { VirtualNetwork } from './virtualNetwork.js';

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));
const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Lets real loopback I/O finish before simulated time moves: waits until no
 * connect is pending and no byte moved either way for a few event-loop turns
 * and a few milliseconds (loopback delivers in microseconds). Bounded in wall
 * time, so a stuck peer cannot hang a run.
 */
export async function settle(server: SiPassServer, role: PluginRole | null, net: VirtualNetwork, maxWallMs = 10_000): Promise<void> {
  const started = Date.now();
  let last = '';
  let stable = 0;
  for (;;) {
    if (stable < 3) await turn();
    else await pause(1);
    const s = server.stats();
    const io = role?.io();
    const sig = `${s.bytesOut}/${s.bytesIn}/${io?.totalBytesIn ?? 0}/${io?.totalBytesOut ?? 0}/${s.connections}/${net.pendingConnects}/${net.dials}`;
    if (sig === last && net.pendingConnects === 0) stable++;
    else {
      stable = 0;
      last = sig;
    }
    if (stable >= 6) return;
    if (Date.now() - started > maxWallMs) return;
  }
}
