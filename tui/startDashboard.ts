/**
 * Composition for `tui`: a Security Center and the plugin role from a
 * scenario, and either the fake SiPass server in-process (on 127.0.0.1, an
 * ephemeral port) or an existing server to attach to. Then the blessed
 * dashboard on a terminal, or the plain line log when stdout is not one.
 */
import type { Duplex } from 'node:stream';
import { loadScenario } from '../harness/scenario/loadScenario.js';
import type { Scenario } from '../harness/scenario/scenario.js';
import { tcpConnector, type Connector } from '../plugin/connection/connector.js';
import type { PluginRole } from '../plugin/pluginRole.js';
import { SecurityCenter } from '../plugin/securitycenter/securityCenter.js';
import { createPluginRole } from '../plugin/createPluginRole.js';
import { SiPassServer } from '../simulator/sipassServer.js';
import { ActivityFeed } from './activityFeed.js';
import { runPlainLog } from './plainLog.js';
import { DEFAULT_READY_TIMEOUT_MS } from './readyDeadline.js';

export interface TuiOptions {
  scenarioFile: string;
  /** Attach to a running server instead of starting one. */
  attach?: { host: string; port: number };
  /** Overrides the scenario's server sync rate (entities/s; in-process only). */
  syncRate?: number;
}

export interface TuiSession {
  scenario: Scenario;
  sc: SecurityCenter;
  role: PluginRole;
  /** The in-process server; null when attached to another process's. */
  server: SiPassServer | null;
  /** Where the role connects first. */
  target: { host: string; port: number };
  feed: ActivityFeed;
  /** The role's current socket (for the garbage fault), if any. */
  roleSocket(): Duplex | null;
  /** Applies the scenario's Properties tab against the target (after listeners are attached). */
  begin(): void;
  close(): Promise<void>;
}

export async function openSession(options: TuiOptions): Promise<TuiSession> {
  const scenario = await loadScenario(options.scenarioFile);
  let server: SiPassServer | null = null;
  let target: { host: string; port: number };
  if (options.attach) {
    target = options.attach;
  } else {
    server = new SiPassServer({
      population: scenario.population,
      host: '127.0.0.1',
      port: 0,
      syncRate: options.syncRate ?? scenario.server.syncRate,
      batchSize: scenario.server.batchSize,
      name: `fake SiPass (${scenario.name})`,
      // R15: the proxy's SDK version and diagnostic ports are part of the server's configuration.
      ...(scenario.server.sdkVersion !== undefined ? { sdkVersion: scenario.server.sdkVersion } : {}),
      ...(scenario.server.diagnosticPort !== undefined ? { diagnosticPort: scenario.server.diagnosticPort } : {}),
      ...(scenario.server.diagnosticWebPort !== undefined ? { diagnosticWebPort: scenario.server.diagnosticWebPort } : {}),
    });
    target = await server.listen(0, '127.0.0.1');
  }
  const sc = new SecurityCenter();
  sc.populate(scenario.securityCenter);
  let socket: Duplex | null = null;
  const connector: Connector = (host, port) => {
    const s = tcpConnector(host, port);
    socket = s;
    s.once('close', () => {
      if (socket === s) socket = null;
    });
    return s;
  };
  const role = createPluginRole(sc, scenario.securityCenter.role ?? 'SiPass plugin', { connector });
  const feed = new ActivityFeed(role, server);
  if (server) feed.action(`fake SiPass server listening on ${target.host}:${target.port} (site "${server.site.name}", ${server.site.total()} entities)`, 'server');
  else feed.action(`attaching to the SiPass server at ${target.host}:${target.port}`, 'server');
  return {
    scenario,
    sc,
    role,
    server,
    target,
    feed,
    roleSocket: () => socket,
    begin() {
      role.apply({ ...scenario.plugin, host: target.host, port: target.port });
    },
    async close() {
      role.stop();
      feed.close();
      if (server) await server.stop();
    },
  };
}

export interface StartOptions extends TuiOptions {
  exitWhenReady: boolean;
  /** With exitWhenReady: not ready by then ends with exit 1 and one line on stderr (default 60s). */
  readyTimeoutMs?: number;
  /** Defaults to whether stdout is a terminal. */
  tty?: boolean;
  /** Where the dashboard's `R` saves a recording. */
  recordTo?: string;
}

/** `tui`: the dashboard on a terminal, the plain line log otherwise. Returns the exit code. */
export async function startDashboard(options: StartOptions): Promise<number> {
  const session = await openSession(options);
  const tty = options.tty ?? (process.stdout.isTTY === true && process.stdin.isTTY === true);
  const readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  if (!tty) return runPlainLog(session, { exitWhenReady: options.exitWhenReady, readyTimeoutMs });
  const { runDashboard } = await import('./dashboard.js');
  const result = await runDashboard(session, { exitWhenReady: options.exitWhenReady, readyTimeoutMs, ...(options.recordTo !== undefined ? { recordTo: options.recordTo } : {}) });
  await session.close();
  for (const line of result.summary) console.log(line);
  if (result.error) console.error(result.error);
  return result.code;
}
