import { DEFAULT_PORT } from '../../protocol/version.js';

/** The SiPass plugin role's Properties tab, as applied (valid, normalised). */
export interface PluginConfig {
  host: string;
  /** R3: 5645 unless set. */
  port: number;
  /** R4: users or user groups, by name. */
  alarmRecipients: string[];
  /** R5: partitions, by name. */
  alarmPartitions: string[];
  /** R8: credential sync is off unless enabled. */
  credentialSync: boolean;
}

/** What an operator types before Apply: anything, checked by validateConfig. */
export interface ConfigInput {
  host?: unknown;
  port?: unknown;
  alarmRecipients?: unknown;
  alarmPartitions?: unknown;
  credentialSync?: unknown;
}

export const CONFIG_FIELDS = ['host', 'port', 'alarmRecipients', 'alarmPartitions', 'credentialSync'] as const;
export type ConfigField = (typeof CONFIG_FIELDS)[number];

/** The names the Properties tab shows, used in every message. */
export const FIELD_LABEL: Record<ConfigField, string> = {
  host: 'Host',
  port: 'Port',
  alarmRecipients: 'Alarm recipients',
  alarmPartitions: 'Alarm partitions',
  credentialSync: 'Credential sync',
};

export const DEFAULT_CONFIG: Omit<PluginConfig, 'host'> = {
  port: DEFAULT_PORT,
  alarmRecipients: [],
  alarmPartitions: [],
  credentialSync: false,
};

/** Same partition set, order ignored (R5: an unchanged set keeps operator partitions). */
export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const s = new Set(a);
  return b.every((x) => s.has(x));
}
