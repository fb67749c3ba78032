import type { Clock } from './core/clock.js';
import type { ConfigInput } from './plugin/config/pluginConfig.js';
import type { PluginRole, PluginRoleOptions } from './plugin/pluginRole.js';
import { SecurityCenter } from './plugin/securitycenter/securityCenter.js';
import { createPluginRole } from './plugin/createPluginRole.js';
import type { PopulationSpec } from './simulator/populationSpec.js';
import { SiPassServer, type SiPassServerOptions } from './simulator/sipassServer.js';

export interface TestbenchOptions {
  population?: PopulationSpec;
  /** 0 (default) = an ephemeral loopback port. */
  port?: number;
  clock?: Clock;
  server?: Omit<SiPassServerOptions, 'population' | 'port' | 'clock'>;
  /** The Security Center directory the role's Properties tab picks from. */
  directory?: { users?: string[]; groups?: Record<string, string[]>; partitions?: string[] };
  roleName?: string;
  role?: Omit<PluginRoleOptions, 'clock'>;
  /** Applied once the server listens (host/port default to the server's). */
  config?: ConfigInput;
}

export interface Testbench {
  server: SiPassServer;
  sc: SecurityCenter;
  role: PluginRole;
  port: number;
  close(): Promise<void>;
}

/**
 * The shortest way to a fake SiPass server and a role pointed at it, for
 * developers writing their own tests:
 *
 *   const tb = await startTestbench({ population: { seed: 1, cardholders: 1000 } });
 *   await tb.role.waitFor('ready');
 */
export async function startTestbench(o: TestbenchOptions = {}): Promise<Testbench> {
  const server = new SiPassServer({ ...o.server, population: o.population ?? {}, port: o.port ?? 0, ...(o.clock ? { clock: o.clock } : {}) });
  const { host, port } = await server.listen();
  const sc = new SecurityCenter();
  sc.populate(o.directory ?? {});
  const role = createPluginRole(sc, o.roleName ?? 'SiPass plugin', { ...o.role, ...(o.clock ? { clock: o.clock } : {}) });
  role.apply({ host, port, ...o.config });
  return {
    server,
    sc,
    role,
    port,
    async close() {
      role.stop();
      await server.stop();
    },
  };
}
