/**
 * Child process for `bench --diagnostics-overhead`: the fake SiPass server with the diagnostic
 * page (R15, issue 15) attached, as `serve --diagnostics` runs it. Commands: start (population)
 * -> listening (with the page's address); stop -> stopped, exit. The plain server child is
 * serverProcess.ts; the two differ only by the page.
 */
import { DiagnosticsServer } from '../simulator/diagnostics/diagnosticsServer.js';
import { SiPassServer } from '../simulator/sipassServer.js';
import { leave, serveCommands, toParent } from './ipc.js';
import { MemorySampler } from './memorySampler.js';

const memory = new MemorySampler();
let server: SiPassServer | undefined;
let diagnostics: DiagnosticsServer | undefined;

serveCommands(async (c) => {
  switch (c.cmd) {
    case 'start': {
      // The same limits as serverProcess.ts (no handshake or idle timeout), so the two servers differ by the page alone.
      const limits = { handshakeTimeoutMs: 0, idleTimeoutMs: 0 };
      server = new SiPassServer({ population: c.population, host: '127.0.0.1', port: 0, name: 'sipass-testbench bench server (diagnostics)', limits });
      const { host, port } = await server.listen();
      diagnostics = new DiagnosticsServer(server, { host: '127.0.0.1', port: 0 });
      const { url } = await diagnostics.listen();
      toParent({ kind: 'listening', host, port, diagnostics: url });
      return;
    }
    case 'stop': {
      const peak = memory.stop();
      await diagnostics?.stop();
      await server?.stop();
      toParent({ kind: 'stopped', peak });
      leave();
      return;
    }
    default:
      throw new Error(`the bench diagnostics server does not take "${c.cmd}"`);
  }
});
