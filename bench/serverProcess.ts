/**
 * Child process: the fake SiPass server, alone on its event loop. Commands:
 * start (population) -> listening; live -> liveSent; stats; stop -> stopped, exit.
 */
import { SiPassServer } from '../simulator/sipassServer.js';
import { leave, serveCommands, toParent } from './ipc.js';
import { pumpLive } from './livePump.js';
import { MemorySampler } from './memorySampler.js';

const memory = new MemorySampler();
let server: SiPassServer | undefined;

function need(): SiPassServer {
  if (!server) throw new Error('the bench server was not started');
  return server;
}

serveCommands(async (c) => {
  switch (c.cmd) {
    case 'start': {
      // No handshake or idle timeout: on a loaded machine a starved decode-only client (it sends no
      // pings) went 45 s without reading and was closed mid-sync. Same server for role and limit.
      const limits = { handshakeTimeoutMs: 0, idleTimeoutMs: 0 };
      server = new SiPassServer({ population: c.population, host: '127.0.0.1', port: 0, name: 'sipass-testbench bench server', limits });
      const { host, port } = await server.listen();
      toParent({ kind: 'listening', host, port });
      return;
    }
    case 'live':
      toParent(await pumpLive(need(), c.count, c.window));
      return;
    case 'stats': {
      const s = need().stats();
      toParent({ kind: 'stats', seq: s.seq, bytesOut: s.bytesOut, ackedSeq: s.sessions.reduce((m, x) => Math.max(m, x.ackedSeq), 0), peak: memory.peak() });
      return;
    }
    case 'stop': {
      const peak = memory.stop();
      await server?.stop();
      toParent({ kind: 'stopped', peak });
      leave();
      return;
    }
    default:
      throw new Error(`the bench server does not take "${c.cmd}"`);
  }
});
