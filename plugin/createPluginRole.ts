import { PluginRole } from './pluginRole.js';
import type { PluginRoleOptions } from './roleTypes.js';
import type { SecurityCenter } from './securitycenter/securityCenter.js';

/** R1: "Before you begin: create the plugin role." Creates it in `sc` (a name is taken once). */
export function createPluginRole(sc: SecurityCenter, name: string, options: PluginRoleOptions = {}): PluginRole {
  sc.reserveRoleName(name);
  // Two roles in one Security Center never share an SC id (their alarm entities live in one registry).
  return sc.adoptRole(new PluginRole(name, sc, { entityIdPrefix: sc.nextEntityIdPrefix(), ...options }));
}
