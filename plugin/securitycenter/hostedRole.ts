import type { ConfigInput, PluginConfig } from '../config/pluginConfig.js';
import type { ScType } from './scTypes.js';

/**
 * What Security Center needs of a plugin role it hosts: its name, its Properties tab's Apply, and
 * its node's counts for the entity browser. The role class depends on the Security Center model,
 * never the other way round (plugin/createPluginRole.ts wires them).
 */
export interface HostedRole {
  readonly name: string;
  apply(input: ConfigInput): PluginConfig;
  readonly entities: { countsByScType(): Record<ScType, number> };
  /** Deleting the role: it stops and its entities leave Security Center. */
  dispose(): void;
}
