import { loadScenario } from '../../harness/scenario/loadScenario.js';
import { SIPASS_TYPES } from '../../protocol/sipassTypes.js';
import { faultUsage, parseFaultArg, type FaultSpec } from '../../simulator/faults/index.js';
import { SiPassServer } from '../../simulator/sipassServer.js';
import { UsageError, type Command } from '../command.js';
import { DEFAULT_SITE } from '../packageRoot.js';
import { hostOption, optString, parseOptions, portOption } from '../parseOptions.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Start the fake SiPass server (proxy service) on a scenario\'s site',
  usage: `Usage: sipass-testbench serve [--scenario FILE] [--host 127.0.0.1] [--port 5645] [--fault NAME[:k=v,...]]...

Starts the fake SiPass proxy service and serves any number of plugin roles.
The site (population) comes from the scenario file (default: the bundled
scenarios/default-site.yaml). Ctrl-C stops it cleanly.

Options:
  --scenario FILE   scenario or site file (population:, steps optional) whose population: is the SiPass site
  --host HOST       address to listen on (default 127.0.0.1: loopback only)
  --port PORT       port to listen on (default: the file's server.port, else 5645; 0 = any free port)
  --sync-rate N     stream full syncs at N entities per second (default: as fast as possible)
  --fault SPEC      inject a fault on every connection (repeatable), SPEC = NAME[:k=v,...];
                    common keys: toxicity=P (0..1, per connection, default 1), seed=N
                    (replays exactly), times=N (act on at most N connections). Faults:
${faultUsage('                    ')}
                    e.g. --fault latency:ms=200,jitterMs=50 --fault resetAfter:afterBatch=3,type=cardholders,times=1
                    (refused, blocked, port change and restarts: stop it, or use a scenario's steps;
                    see docs/reliability.md)

Exit codes: 0 stopped cleanly, 2 bad arguments or the port is in use.`,
  async run(argv) {
    const { values } = parseOptions(argv, {
      scenario: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      'sync-rate': { type: 'string' },
      fault: { type: 'string', multiple: true },
    });
    const faultArgs = Array.isArray(values.fault) ? values.fault.filter((f): f is string => typeof f === 'string') : [];
    const faults: FaultSpec[] = [];
    for (const arg of faultArgs) {
      try {
        faults.push(parseFaultArg(arg));
      } catch (e) {
        throw new UsageError(`--fault: ${(e as Error).message}`);
      }
    }
    const host = hostOption(optString(values.host), '127.0.0.1');
    // A site-only file (population:, no steps:) is servable; its server.port is the default port.
    const scenario = await loadScenario(optString(values.scenario) ?? DEFAULT_SITE, { allowSite: true });
    const port = portOption(optString(values.port), scenario.server.port, true);
    const rate = Number(optString(values['sync-rate']) ?? scenario.server.syncRate);
    const server = new SiPassServer({ population: scenario.population, host, port, syncRate: Number.isFinite(rate) ? rate : 0, batchSize: scenario.server.batchSize });
    for (const f of faults) server.addFault(f);
    const addr = await server.listen();
    const totals = server.site.totals();
    console.log(`fake SiPass proxy listening on ${addr.host.includes(':') ? `[${addr.host}]` : addr.host}:${addr.port}`);
    if (faults.length > 0) console.log(`faults: ${server.activeFaults().join('; ')}`);
    console.log(`site "${server.site.name}" (seed ${server.site.seed}): ${server.site.total()} entities (${SIPASS_TYPES.filter((t) => totals[t] > 0).map((t) => `${t} ${totals[t]}`).join(', ')})`);
    server.on('event', (e: import('../../simulator/sipassServer.js').ServerEvent) => {
      const t = new Date().toISOString().slice(11, 23);
      if (e.kind === 'connection') console.log(`${t} connection ${e.session} from ${e.remote}`);
      else if (e.kind === 'closed') console.log(`${t} connection ${e.session} closed: ${e.reason}`);
    });
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await server.stop();
    console.log('stopped');
    return 0;
  },
};
