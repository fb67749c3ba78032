import { onStopSignal } from '../stopSignal.js';
import { loadScenario } from '../../harness/scenario/loadScenario.js';
import { SIPASS_TYPES } from '../../protocol/sipassTypes.js';
import { faultUsage, parseFaultArg, type FaultSpec } from '../../simulator/faults/index.js';
import { ControlServer } from '../../simulator/control/controlServer.js';
import { refusedLine } from '../../simulator/limits/connectionGate.js';
import { exposureWarning, isLoopbackHost } from '../../simulator/limits/exposureWarning.js';
import { describeLimits, DEFAULT_SERVER_LIMITS } from '../../simulator/limits/serverLimits.js';
import { DEFAULT_DIAGNOSTICS_PORT, DiagnosticsServer } from '../../simulator/diagnostics/diagnosticsServer.js';
import { SiPassServer, type ServerEvent } from '../../simulator/sipassServer.js';
import { validatePort } from '../../plugin/config/validatePort.js';
import { UsageError, type Command } from '../command.js';
import { parseControlAddress } from '../controlAddress.js';
import { DEFAULT_SITE } from '../packageRoot.js';
import { byteSizeOption, countOption, durationOption, hostOption, optString, parseOptions, portOption } from '../parseOptions.js';
import { SCENARIO_LOAD_OPTIONS, scenarioLoadOptions, scenarioLoadUsage } from '../scenarioLoadOptions.js';

/** A timeout flag: a duration with its unit, or 0 (off). */
function limitDuration(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  return value.trim() === '0' ? 0 : durationOption(name, value, 0);
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Start the fake SiPass server (proxy service) on a scenario\'s site',
  usage: `Usage: sipass-testbench serve [--scenario FILE] [--host 127.0.0.1] [--port 5645] [--fault NAME[:k=v,...]]... [--control 127.0.0.1:0]
                             [--diagnostics [PORT]]

Starts the fake SiPass proxy service and serves any number of plugin roles.
The site (population) comes from the scenario file (default: the bundled
scenarios/default-site.yaml). Ctrl-C stops it cleanly.

Options:
  --scenario FILE   scenario or site file (population:, steps optional) whose population: is the SiPass site
  --host HOST       address to listen on (default 127.0.0.1: loopback only; any other address
                    prints a warning: the server is unauthenticated and serves personal data)
  --port PORT       port to listen on (default: the file's server.port, else 5645; 0 = any free port)
  --sync-rate N     stream full syncs at N entities per second (default: as fast as possible)
  --fault SPEC      inject a fault on every connection (repeatable), SPEC = NAME[:k=v,...];
                    common keys: toxicity=P (0..1, per connection, default 1), seed=N
                    (replays exactly), times=N (act on at most N connections). Faults:
${faultUsage('                    ')}
                    e.g. --fault latency:ms=200,jitterMs=50 --fault resetAfter:afterBatch=3,type=cardholders,times=1
                    (refused, blocked, port change and restarts: stop it, or use a scenario's steps;
                    see docs/reliability.md)
  --diagnostics [PORT]  also serve the diagnostic web page (R15) on PORT of the same host
                    (without PORT: the --scenario file's server.diagnosticWebPort, else
                    ${DEFAULT_DIAGNOSTICS_PORT}; an explicit PORT wins; 0 = any free port): roles, sync progress,
                    wire and alarm tails, faults, with controls to add/clear faults and raise alarms/events
  --control ADDR    open the live control channel on a loopback address (e.g. 127.0.0.1:0) and
                    print it; drive it with \`sipass-testbench control ADDR ...\` (docs/control.md)
${scenarioLoadUsage(20)}

Limits per connection (0 = off; each logs a line when it acts; docs/reliability.md):
  --handshake-timeout D  close a peer that sends no hello within D (default ${DEFAULT_SERVER_LIMITS.handshakeTimeoutMs / 1000}s)
  --idle-timeout D       close a peer silent for D, or not reading what it is sent (default ${DEFAULT_SERVER_LIMITS.idleTimeoutMs / 1000}s;
                         a role pings every 10s)
  --max-input SIZE       largest frame a peer may send, the most one connection buffers (default ${DEFAULT_SERVER_LIMITS.maxInputBytes / 1024}KiB)
  --max-output SIZE      bytes queued toward one peer before it is closed (default ${DEFAULT_SERVER_LIMITS.maxOutputBytes / 1024 / 1024}MiB)
  --max-connections N    connections at once, more are refused (default 1000, lower under a low open-file limit)

Exit codes: 0 stopped cleanly, 2 bad arguments or the port is in use.`,
  async run(argv) {
    const { values } = parseOptions(withDiagnosticsDefault(argv), {
      scenario: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      'sync-rate': { type: 'string' },
      fault: { type: 'string', multiple: true },
      control: { type: 'string' },
      'handshake-timeout': { type: 'string' },
      'idle-timeout': { type: 'string' },
      'max-input': { type: 'string' },
      'max-output': { type: 'string' },
      'max-connections': { type: 'string' },
      ...SCENARIO_LOAD_OPTIONS,
      diagnostics: { type: 'string' },
    });
    const controlArg = optString(values.control);
    const control = controlArg !== undefined ? parseControlAddress(controlArg, '--control') : undefined;
    const limits = {
      handshakeTimeoutMs: limitDuration('handshake-timeout', optString(values['handshake-timeout'])),
      idleTimeoutMs: limitDuration('idle-timeout', optString(values['idle-timeout'])),
      maxInputBytes: byteSizeOption('max-input', optString(values['max-input'])),
      maxOutputBytes: byteSizeOption('max-output', optString(values['max-output'])),
      maxConnections: countOption('max-connections', optString(values['max-connections'])),
    };
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
    const diagnosticsArg = optString(values.diagnostics);
    // Checked before the scenario loads: a bad port is named first.
    if (diagnosticsArg !== undefined && diagnosticsArg !== DIAGNOSTICS_FROM_SCENARIO) diagnosticsPortOption(diagnosticsArg);
    // A site-only file (population:, no steps:) is servable; its server.port is the default port.
    const scenario = await loadScenario(optString(values.scenario) ?? DEFAULT_SITE, { allowSite: true, ...(await scenarioLoadOptions(values)) });
    const diagnosticsPort = chooseDiagnosticsPort(diagnosticsArg, scenario.server.diagnosticWebPort);
    const port = portOption(optString(values.port), scenario.server.port, true);
    const rate = Number(optString(values['sync-rate']) ?? scenario.server.syncRate);
    // R15: the site's proxy configuration (SDK version, diagnostic ports) is announced in the welcome.
    const { sdkVersion, diagnosticPort, diagnosticWebPort } = scenario.server;
    const proxy = { ...(sdkVersion !== undefined ? { sdkVersion } : {}), ...(diagnosticPort !== undefined ? { diagnosticPort } : {}), ...(diagnosticWebPort !== undefined ? { diagnosticWebPort } : {}) };
    const server = new SiPassServer({ population: scenario.population, host, port, syncRate: Number.isFinite(rate) ? rate : 0, batchSize: scenario.server.batchSize, limits, ...proxy });
    for (const f of faults) server.addFault(f);
    const controlServer = control ? new ControlServer(server) : undefined;
    const controlAddr = control && controlServer ? await controlServer.listen(control.host, control.port) : undefined;
    let addr: { host: string; port: number };
    try {
      addr = await server.listen();
    } catch (e) {
      await controlServer?.stop();
      throw e;
    }
    const totals = server.site.totals();
    console.log(`fake SiPass proxy listening on ${addr.host.includes(':') ? `[${addr.host}]` : addr.host}:${addr.port}`);
    const warning = exposureWarning(addr.host, addr.port);
    if (warning) console.error(warning);
    console.log(`limits: ${describeLimits(server.limits)}`);
    if (diagnosticPort !== undefined || diagnosticWebPort !== undefined) {
      console.log(`proxy SDK ${server.sdkVersion}; diagnostic server port ${server.diagnosticPort}, diagnostic web interface port ${server.diagnosticWebPort} (R15, from the site file)`);
    }
    if (controlAddr) console.log(`control channel on ${controlAddr.url} (sipass-testbench control ${controlAddr.url.slice('http://'.length)} --help)`);
    if (faults.length > 0) console.log(`faults: ${server.activeFaults().join('; ')}`);
    let diagnostics: DiagnosticsServer | undefined;
    if (diagnosticsPort !== undefined) {
      diagnostics = new DiagnosticsServer(server, { host, port: diagnosticsPort });
      try {
        await diagnostics.listen();
      } catch (e) {
        await server.stop();
        throw e;
      }
      console.log(`diagnostic page on ${diagnostics.url}`);
      if (!isLoopbackHost(host)) {
        console.error(`WARNING: the diagnostic page listens on ${diagnostics.url}, beyond loopback. It is unauthenticated: anyone who reaches it sees the site and can add faults and raise alarms. Use --host 127.0.0.1 unless other machines must see it.`);
      }
    }
    // Ctrl-C from here on stops cleanly: the handlers are in place before the site line, which is
    // the line scripts wait for before they send SIGINT (a signal in between killed serve outright).
    const stopped = onStopSignal();
    console.log(`site "${server.site.name}" (seed ${server.site.seed}): ${server.site.total()} entities (${SIPASS_TYPES.filter((t) => totals[t] > 0).map((t) => `${t} ${totals[t]}`).join(', ')})`);
    server.on('event', (e: ServerEvent) => {
      const t = new Date().toISOString().slice(11, 23);
      if (e.kind === 'connection') console.log(`${t} connection ${e.session} from ${e.remote}`);
      else if (e.kind === 'closed') console.log(`${t} connection ${e.session} closed: ${e.reason}`);
      else if (e.kind === 'refused') console.log(`${t} ${refusedLine(e)}`);
      else if (e.kind === 'acceptError') console.log(`${t} SERVER_ACCEPT_FAILED: ${e.code}: ${e.message}`);
    });
    await stopped.promise;
    stopped.dispose();
    await diagnostics?.stop();
    await controlServer?.stop();
    await server.stop();
    console.log('stopped');
    return 0;
  },
};

/** Stands for `--diagnostics` given without a PORT: the port then comes from the scenario. */
const DIAGNOSTICS_FROM_SCENARIO = 'from-scenario';

/** `--diagnostics` with no PORT (last, or followed by another option): the scenario's port, else the R15 default. */
function withDiagnosticsDefault(argv: string[]): string[] {
  const out: string[] = [];
  argv.forEach((a, i) => {
    out.push(a);
    const next = argv[i + 1];
    if (a === '--diagnostics' && (next === undefined || next.startsWith('--'))) out.push(DIAGNOSTICS_FROM_SCENARIO);
  });
  return out;
}

/**
 * The diagnostic page's port: an explicit `--diagnostics PORT` wins; a bare `--diagnostics`
 * takes the scenario's server.diagnosticWebPort (R15: the proxy's web interface port), else 6024.
 * undefined: no diagnostic page.
 */
export function chooseDiagnosticsPort(arg: string | undefined, scenarioWebPort: number | undefined): number | undefined {
  if (arg === undefined) return undefined;
  if (arg === DIAGNOSTICS_FROM_SCENARIO) return scenarioWebPort ?? DEFAULT_DIAGNOSTICS_PORT;
  return diagnosticsPortOption(arg);
}

function diagnosticsPortOption(value: string): number {
  if (value === '0') return 0;
  const p = validatePort(value);
  if (!p.ok) throw new UsageError(`--diagnostics ${JSON.stringify(value)} ${p.reason} (or 0 for any free port)`);
  return p.port;
}
