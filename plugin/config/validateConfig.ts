import type { Directory } from '../securitycenter/directory.js';
import { problem, type ConfigProblem } from './configProblem.js';
import { CONFIG_FIELDS, DEFAULT_CONFIG, type ConfigInput, type PluginConfig } from './pluginConfig.js';
import { validateHost } from './validateHost.js';
import { validatePort } from './validatePort.js';

function nameList(
  field: 'alarmRecipients' | 'alarmPartitions',
  value: unknown,
  exists: (name: string) => boolean,
  what: string,
  problems: ConfigProblem[],
): string[] {
  if (!Array.isArray(value)) {
    problems.push(problem(field, 'CONFIG_NOT_A_LIST', value, `must be a list of ${what} names`));
    return [];
  }
  const out: string[] = [];
  for (const v of value) {
    if (typeof v !== 'string' || v.length === 0) {
      problems.push(problem(field, 'CONFIG_NOT_A_NAME', v, `is not a ${what} name`));
    } else if (!exists(v)) {
      problems.push(problem(field, field === 'alarmRecipients' ? 'CONFIG_UNKNOWN_RECIPIENT' : 'CONFIG_UNKNOWN_PARTITION', v, `is not a ${what} in Security Center`));
    } else if (!out.includes(v)) {
      out.push(v);
    }
  }
  return out;
}

/**
 * Checks a whole Properties tab (the previous config merged with what the
 * operator changed) and returns the normalised config or every problem at
 * once (R2, R3, R4, R5, R6).
 */
export function validateConfig(
  input: ConfigInput,
  directory: Directory,
  previous?: PluginConfig,
): { ok: true; config: PluginConfig } | { ok: false; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  for (const key of Object.keys(input)) {
    if (!(CONFIG_FIELDS as readonly string[]).includes(key)) {
      problems.push({ field: 'host', code: 'CONFIG_UNKNOWN_FIELD', value: key, message: `unknown Properties field "${key}" (fields: ${CONFIG_FIELDS.join(', ')})` });
    }
  }
  const merged = { ...DEFAULT_CONFIG, ...previous, ...stripUndefined(input) };

  let host = '';
  if (merged.host === undefined) {
    problems.push(problem('host', 'CONFIG_HOST_MISSING', undefined, 'is required: enter the hostname or IP address of the SiPass server'));
  } else {
    const h = validateHost(merged.host);
    if (h.ok) host = h.host;
    else problems.push(problem('host', 'CONFIG_HOST_INVALID', merged.host, h.reason));
  }

  // R3: unset means the default port.
  let port = DEFAULT_CONFIG.port;
  if (merged.port !== undefined && merged.port !== null) {
    const p = validatePort(merged.port);
    if (p.ok) port = p.port;
    else problems.push(problem('port', 'CONFIG_PORT_INVALID', merged.port, p.reason));
  }

  const alarmRecipients = nameList('alarmRecipients', merged.alarmRecipients, (n) => directory.isRecipient(n), 'user or user group', problems);
  const alarmPartitions = nameList('alarmPartitions', merged.alarmPartitions, (n) => directory.hasPartition(n), 'partition', problems);

  if (typeof merged.credentialSync !== 'boolean') {
    problems.push(problem('credentialSync', 'CONFIG_NOT_A_BOOLEAN', merged.credentialSync, 'must be true or false'));
  }

  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, config: { host, port, alarmRecipients, alarmPartitions, credentialSync: merged.credentialSync as boolean } };
}

function stripUndefined(input: ConfigInput): ConfigInput {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) if (v !== undefined) out[k] = v;
  return out;
}
