import { COMMAND_ACTIONS, PRIVILEGES, PULSE_PATTERNS } from '../../plugin/commands/commandCatalog.js';
import { SC_TYPES } from '../../plugin/securitycenter/scTypes.js';
import { SIPASS_TYPES, type Scalar, type SiPassRecord } from '../../protocol/sipassTypes.js';
import { FAULT_NAMES, FAULTS, readFaultSpec } from '../../simulator/faults/index.js';
import type { PopulationSpec } from '../../simulator/populationSpec.js';
import { didYouMean } from './didYouMean.js';
import type { Expectation, SecurityCenterSpec, ServerSpec, Step, StepAction } from './scenario.js';
import { INVARIANTS } from './scenario.js';
import { bool, describe, duration, int, INVALID, list, num, object, oneOf, oneOrMany, raw, reader, record, str, type Checked, type JsonSchema, type Reader } from './schema.js';
import { isMap, isScalar, type Node, type YamlSource } from './yamlNodes.js';

const CONFIG_KEYS = ['host', 'port', 'alarmRecipients', 'alarmPartitions', 'credentialSync'] as const;
const STATES = ['unconfigured', 'connecting', 'syncing', 'ready'] as const;

const scalar: Reader<Scalar> = reader({ type: ['string', 'number', 'boolean', 'null'] }, (src, node, where) => {
  const n = src.deref(node);
  if (n === null) return null;
  if (isScalar(n) && (typeof n.value === 'string' || typeof n.value === 'number' || typeof n.value === 'boolean' || n.value === null)) return n.value;
  src.problem(node, `${where} must be a string, number, boolean or null`);
  return INVALID;
});

const fieldsOf = record(scalar);
const entity: Reader<SiPassRecord> = reader({ ...fieldsOf.schema, properties: { id: { type: ['string', 'number'] }, name: { type: 'string' } }, required: ['id', 'name'] }, (src, node, where) => {
  const r = fieldsOf(src, node, where);
  if (r === INVALID) return INVALID;
  if (typeof r.id !== 'string' && typeof r.id !== 'number') {
    src.problem(node, `${where} needs an "id"`);
    return INVALID;
  }
  if (typeof r.name !== 'string') {
    src.problem(node, `${where} needs a "name"`);
    return INVALID;
  }
  return { ...r, id: String(r.id), name: r.name };
});

const generatedCount = int(0, 10_000_000);
const entities = list(entity);
const countOrList: Reader<number | SiPassRecord[]> = reader(
  { anyOf: [generatedCount.schema, entities.schema], description: 'How many to generate, or the records themselves (each with id and name)' },
  (src, node, where) => {
    const n = src.deref(node);
    if (n && isScalar(n)) return generatedCount(src, node, where);
    return entities(src, node, where);
  },
);

const populationFields = Object.fromEntries(SIPASS_TYPES.map((t) => [t, countOrList]));
export const population: Reader<PopulationSpec> = object<PopulationSpec>({}, { seed: int(0, 2 ** 31 - 1), name: str, ...populationFields });

/** A strictly valid Properties tab (the initial one, and applies not marked `rejects`). */
const strictConfig = object<Record<string, unknown>>(
  {},
  { host: str, port: int(1, 65535), alarmRecipients: list(str), alarmPartitions: list(str), credentialSync: bool },
);
/** Anything an operator may type (applies marked `rejects`: validation is the role's, R6). */
const rawConfig = object<Record<string, unknown>>({}, { role: str, host: raw, port: raw, alarmRecipients: raw, alarmPartitions: raw, credentialSync: raw });

/** R1: the plugin role's name; null creates none. */
const roleName: Reader<string | null> = reader({ anyOf: [str.schema, { type: 'null' }], description: 'The plugin role to create (R1); null creates none' }, (s, x, w) =>
  s.deref(x) === null || (isScalar(s.deref(x)) && (s.deref(x) as { value: unknown }).value === null) ? null : str(s, x, w),
);

const securityCenterMap = object<Partial<SecurityCenterSpec>>(
  {},
  {
    users: list(str),
    groups: record(list(str)),
    partitions: list(str),
    role: roleName,
    alarms: list(object({ name: str }, { recipients: list(str), partitions: list(str) })),
    // R13: privileges per user or user group.
    privileges: record(list(oneOf(PRIVILEGES))),
    // R15: the Security Center version the proxy's SDK must match.
    version: str,
  },
);
const securityCenter: Reader<Partial<SecurityCenterSpec>> = reader(securityCenterMap.schema, (src, node, where) => {
  const n = src.deref(node);
  const roleNull = n && isMap(n) ? src.entries(n).find((e) => e.key === 'role') : undefined;
  const v = securityCenterMap(src, node, where);
  if (v !== INVALID && roleNull && v.role === undefined) v.role = null;
  return v;
});

const serverFields = {
    host: str,
    names: list(str),
    port: int(1, 65535),
    syncRate: num,
    batchSize: int(1, 100_000),
    // R15: the proxy's SDK version and its diagnostic server (4502-4534) and web interface ports.
    sdkVersion: str,
    diagnosticPort: int(4502, 4534),
    diagnosticWebPort: int(1, 65535),
};
const server = object<Partial<ServerSpec>>({}, serverFields);

/** `servers:` more fake SiPass servers, each with its own site (two roles on two servers). */
const servers = describe(
  record(object<Partial<ServerSpec> & { population: PopulationSpec }>({ population }, serverFields)),
  'More fake SiPass servers by name (not "main", the name of server:): each answers to its host and names, with its own population',
);

/** `roles:` more plugin roles in the same Security Center (two roles, on one or two servers). */
const roles = describe(
  record(object<{ server?: string; plugin?: Record<string, unknown> }>({}, { server: describe(str, 'The server its host and port default to: main (default) or a servers: key'), plugin: strictConfig })),
  'More plugin roles in the same Security Center, by name: the server their Properties tab points at by default, and that tab',
);

const scCount = record(int(0, 100_000_000));
const scTypeCounts: Reader<Record<string, number>> = reader({ ...scCount.schema, propertyNames: { enum: [...SC_TYPES] } }, (src, node, where) => {
  const r = scCount(src, node, where);
  if (r === INVALID) return INVALID;
  const n = src.deref(node);
  let bad = false;
  for (const e of n ? src.entries(n) : []) {
    if (!(SC_TYPES as readonly string[]).includes(e.key)) {
      const hint = didYouMean(e.key, SC_TYPES);
      src.problem(e.keyNode, `${where}: "${e.key}" is not a Security Center entity type${hint ? ` (did you mean "${hint}"?)` : ` (types: ${SC_TYPES.join(', ')})`}`);
      bad = true;
    }
  }
  return bad ? INVALID : r;
});

const lastErrorMap = object<{ code?: string; message?: string }>({}, { code: str, message: str });

const expectation = object<Expectation>(
  {},
  {
    state: oneOf(STATES),
    within: duration,
    counts: scTypeCounts,
    entity: object({ type: oneOf(SC_TYPES), id: str }, { name: str, fields: record(scalar), absent: bool, rememberAs: str, sameIdAs: str }),
    alarm: object({ alarm: str }, { recipients: list(str), partitions: list(str), absent: bool, priority: int(0, 255) }),
    monitor: object({}, { occurrence: str, alarm: str, count: int(0, 1e9), kind: oneOf(['raised', 'retrigger'] as const), notified: list(str), acknowledgedBy: str, acknowledged: bool }),
    events: object({}, { custom: record(int(0, 1e9)), native: record(int(0, 1e9)) }),
    // R11: the last fired event of that name, and the SC entity its source resolved to.
    event: object({ name: str }, { kind: oneOf(['custom', 'native'] as const), sourceEntity: object({ type: oneOf(SC_TYPES), id: str }), noSourceEntity: trueFlagLazy() }),
    lastError: reader({ anyOf: [{ type: 'null' }, { const: 'none' }, lastErrorMap.schema], description: 'none (or null): no error; or the code and message expected' }, (src, node, where) => {
      const n = src.deref(node);
      if (n === null || (n && isScalar(n) && (n.value === null || n.value === 'none'))) return null;
      return lastErrorMap(src, node, where);
    }),
    config: strictConfig,
    sipass: object({}, { acknowledged: list(str), scAcknowledgements: int(0, 1e9), activeAlarms: int(0, 1e9), acknowledgedBy: record(str) }),
    converged: bool,
    // Issue 12 item 6: what QA needs to say.
    role: str,
    roleExists: bool,
    active: bool,
    health: oneOf(['ok', 'warning', 'error'] as const),
    attempt: int(0, 1e9),
    nextRetry: object({}, { atLeast: duration, atMost: duration, none: bool }),
    backoff: object({}, { atLeast: duration, atMost: duration, grows: bool, count: int(0, 1e6) }),
    progress: object({}, { perType: record(object({}, { done: int(0, 1e9), total: int(0, 1e9) })), done: int(0, 1e9), total: int(0, 1e9), rateAbove: num, eta: bool, none: bool }),
    syncTab: object({}, { counts: record(int(0, 1e9)), lastSync: object({}, { mode: oneOf(['full', 'manual'] as const), none: bool, atLeast: duration }) }),
    connections: int(0, 1e9),
    reconnected: bool,
    commands: object({}, { count: int(0, 1e9), last: object({}, { operator: str, action: str, result: oneOf(['pending', 'executed', 'failed', 'refused'] as const), cause: str, via: str, entity: str, detail: str }) }),
    activityTrail: object({}, { count: int(0, 1e9), last: object({}, { who: str, what: str, entity: str, result: oneOf(['executed', 'failed'] as const) }) }),
    sipassEntity: object({ type: oneOf(SIPASS_TYPES), id: str }, { fields: record(scalar), absent: bool }),
    cardholder: object({ id: str }, { definition: record(scalar), personal: record(scalar), vehicles: record(scalar), imaging: record(scalar), custom: record(scalar) }),
    customFields: list(str),
    countsMatch: bool,
    // Two roles, two servers: which server the SiPass-side keys look at.
    server: str,
    // R15: the proxy's announcement at the role's last handshake.
    proxy: object({}, { sdkVersion: str, diagnosticPort: int(1, 65535), diagnosticWebPort: int(1, 65535) }),
  },
);

/** trueFlag, for readers declared above it. */
function trueFlagLazy(): Reader<true> {
  return reader({ const: true }, (src, node, where) => trueFlag(src, node, where));
}

const trueFlag: Reader<true> = reader({ const: true }, (src, node, where) => {
  const v = bool(src, node, where);
  if (v === INVALID) return INVALID;
  if (!v) {
    src.problem(node, `${where} only takes true (leave the step out instead)`);
    return INVALID;
  }
  return true;
});

const restartWith = object<{ population?: PopulationSpec }>({}, { population });

/**
 * The fault step's shape: one fault name (its options checked by the fault
 * module itself, simulator/faults) and the common options.
 */
const faultSchema: JsonSchema = {
  type: 'object',
  properties: {
    ...Object.fromEntries(FAULT_NAMES.map((f) => [f, { anyOf: [{ type: 'object' }, { type: 'null' }, { const: true }, { type: 'string' }], description: `${f}: ${FAULTS[f].usage}` }])),
    toxicity: { type: 'number', minimum: 0, maximum: 1, description: 'The probability that the fault applies to a frame' },
    seed: { type: 'integer', minimum: 0, maximum: 0xffffffff },
    times: { type: 'integer', minimum: 1 },
  },
  additionalProperties: false,
  oneOf: FAULT_NAMES.map((f) => ({ required: [f] })),
  description: `One fault: ${FAULT_NAMES.join(', ')} (docs/reliability.md)`,
};

type ReadAction = (src: YamlSource, node: Node | null, where: string, siblings: Map<string, Node | null>) => Checked<StepAction>;
/** A step action's reader, with the JSON Schema of the action key's value. */
type ActionReader = ReadAction & { readonly schema: JsonSchema };

const action = (schema: JsonSchema, read: ReadAction): ActionReader => Object.assign(read, { schema });

const map = <T, A extends StepAction>(r: Reader<T>, f: (v: T) => A): ActionReader =>
  action(r.schema, (src, node, where) => {
    const v = r(src, node, where);
    return v === INVALID ? INVALID : f(v);
  });

/** `rejects:` beside `apply:`: the fields the role must refuse (R6). */
const rejectsFields = describe(oneOrMany(oneOf([...CONFIG_KEYS, 'role'] as const)), 'Beside apply: the fields the role must reject (the Apply changes nothing, R6)');
/** An apply without `rejects:` must be a valid Properties tab. */
/** R3: a port may be typed as a number or a numeric string ("5645"); the role normalises it. */
const portValue: Reader<number | string> = reader({ anyOf: [{ type: 'integer', minimum: 1, maximum: 65535 }, { type: 'string', pattern: '^\\s*\\d+\\s*$' }] }, (src, node, where) => {
  const n = src.deref(node);
  if (n && isScalar(n) && typeof n.value === 'string' && /^\s*\d+\s*$/.test(n.value)) return n.value;
  return int(1, 65535)(src, node, where);
});
const strictApply = object<Record<string, unknown>>({}, { role: str, host: str, port: portValue, alarmRecipients: list(str), alarmPartitions: list(str), credentialSync: bool });

interface CommandOrderSpec {
  operator: string;
  entity: { type: (typeof SC_TYPES)[number]; id: string };
  action: (typeof COMMAND_ACTIONS)[number];
  reader?: 'A' | 'B';
  output?: number;
  pattern?: (typeof PULSE_PATTERNS)[number];
}
const commandRequired = { operator: str, entity: object({ type: oneOf(SC_TYPES), id: str }), action: oneOf(COMMAND_ACTIONS) };
const commandOptional = { reader: oneOf(['A', 'B'] as const), output: int(1, 64), pattern: oneOf(PULSE_PATTERNS) };
/** R13: `command: { operator: alice, entity: { type: door, id: DS-1 }, action: block }`. */
const commandOrder = object<CommandOrderSpec>(commandRequired, commandOptional);

/** Beside manualSync, command or acknowledge: the step must be refused, its cause containing this text. */
const refusedText = describe(str, 'Beside manualSync or command: the step must be refused with a cause (error code or message) containing this text');
/** Beside apply with rejects: texts each rejection message must contain. */
const problemTexts = describe(oneOrMany(str), 'Beside apply with rejects: texts the rejection must contain (the problems, not only the field names)');
const REFUSABLE = ['manualSync', 'command', 'acknowledge'];
/** Steps that act on one plugin role: `role:` beside them picks it (default: the scenario's). */
export const ROLE_STEPS = ['manualSync', 'acknowledge', 'command', 'eventToAction', 'editEntity', 'restartRole', 'deactivateRole', 'activateRole', 'deleteRole'];
/** Steps that act on one fake server: `server:` beside them picks it (default: main). */
export const SERVER_STEPS = [
  'raiseAlarm', 'sipassAcknowledge', 'clearAlarm', 'fireEvent', 'addEntity', 'updateEntity', 'deleteEntity', 'serverPort', 'stopServer', 'startServer',
  'restartServer', 'blockPort', 'unblockPort', 'resetConnections', 'fault', 'removeFault', 'clearFaults', 'restartProxy', 'serverSdkVersion',
];
const targetRole = describe(str, 'Beside a role step: the role it acts on (securityCenter.role or a roles: key)');
const targetServer = describe(str, 'Beside a SiPass-side step: the server it acts on (main or a servers: key)');

const STEP_ACTIONS: Record<string, ActionReader> = {
  apply: action(rawConfig.schema, (src, node, where, siblings) => {
    const rejectsNode = siblings.get('rejects');
    if (rejectsNode !== undefined) {
      const rejects = rejectsFields(src, rejectsNode, `${where}.rejects`);
      const input = rawConfig(src, node, where);
      if (rejects === INVALID || input === INVALID) return INVALID;
      const { role, ...rest } = input;
      return { kind: 'apply', input: rest, rejects, ...(typeof role === 'string' ? { role } : {}) };
    }
    const n = src.deref(node);
    const roleEntry = n && isMap(n) ? src.entries(n).find((e) => e.key === 'role') : undefined;
    const role = roleEntry ? str(src, roleEntry.value, `${where}.role`) : undefined;
    const input = strictApply(src, node, where);
    if (input === INVALID || role === INVALID) return INVALID;
    const { role: _r, ...rest } = input;
    return { kind: 'apply', input: rest, ...(role !== undefined ? { role } : {}) };
  }),
  manualSync: map(trueFlag, () => ({ kind: 'manualSync' })),
  editAlarm: map(
    object<{ alarm: string; addRecipient?: string; removeRecipient?: string; addPartition?: string; removePartition?: string }>(
      { alarm: str },
      { addRecipient: str, removeRecipient: str, addPartition: str, removePartition: str },
    ),
    (v) => ({ kind: 'editAlarm', ...v }),
  ),
  acknowledge: map(object<{ occurrence: string; user: string }>({ occurrence: str, user: str }), (v) => ({ kind: 'acknowledge', ...v })),
  createUser: map(str, (name) => ({ kind: 'createUser', name })),
  createGroup: map(object<{ name: string; members?: string[] }>({ name: str }, { members: list(str) }), (v) => ({ kind: 'createGroup', name: v.name, members: v.members ?? [] })),
  createPartition: map(str, (name) => ({ kind: 'createPartition', name })),
  createAlarm: map(object<{ name: string; recipients?: string[]; partitions?: string[] }>({ name: str }, { recipients: list(str), partitions: list(str) }), (v) => ({
    kind: 'createAlarm',
    name: v.name,
    recipients: v.recipients ?? [],
    partitions: v.partitions ?? [],
  })),
  raiseAlarm: map(object<{ alarmClass: string; occurrence?: string }>({ alarmClass: str }, { occurrence: str }), (v) => ({ kind: 'raiseAlarm', ...v })),
  sipassAcknowledge: map(object<{ occurrence: string; by?: string }>({ occurrence: str }, { by: str }), (v) => ({ kind: 'sipassAcknowledge', ...v })),
  clearAlarm: map(object<{ occurrence: string }>({ occurrence: str }), (v) => ({ kind: 'clearAlarm', ...v })),
  fireEvent: map(
    object<{ eventType: string; source?: string; sourceEntity?: { type: (typeof SIPASS_TYPES)[number]; id: string } }>(
      { eventType: str },
      { source: str, sourceEntity: object({ type: oneOf(SIPASS_TYPES), id: str }) },
    ),
    (v) => ({ kind: 'fireEvent', ...v }),
  ),
  addEntity: map(object<{ type: (typeof SIPASS_TYPES)[number]; entity: SiPassRecord }>({ type: oneOf(SIPASS_TYPES), entity }), (v) => ({ kind: 'addEntity', ...v })),
  updateEntity: map(
    object<{ type: (typeof SIPASS_TYPES)[number]; id: string; fields: Record<string, Scalar> }>({ type: oneOf(SIPASS_TYPES), id: str, fields: record(scalar) }),
    (v) => ({ kind: 'updateEntity', ...v }),
  ),
  deleteEntity: map(object<{ type: (typeof SIPASS_TYPES)[number]; id: string }>({ type: oneOf(SIPASS_TYPES), id: str }), (v) => ({ kind: 'deleteEntity', ...v })),
  serverPort: map(int(1, 65535), (port) => ({ kind: 'serverPort', port })),
  stopServer: map(trueFlag, () => ({ kind: 'stopServer' })),
  startServer: map(trueFlag, () => ({ kind: 'startServer' })),
  restartServer: action({ anyOf: [trueFlag.schema, restartWith.schema] }, (src, node, where) => {
    const n = src.deref(node);
    if (n && isScalar(n) && n.value === true) return { kind: 'restartServer' };
    const v = restartWith(src, node, where);
    return v === INVALID ? INVALID : { kind: 'restartServer', ...v };
  }),
  blockPort: map(trueFlag, () => ({ kind: 'blockPort' })),
  unblockPort: map(trueFlag, () => ({ kind: 'unblockPort' })),
  resetConnections: map(trueFlag, () => ({ kind: 'resetConnections' })),
  // `fault: { latency: { ms: 200, jitterMs: 50 }, toxicity: 0.5, seed: 3 }` (docs/reliability.md).
  fault: action(faultSchema, (src, node, where) => {
    const n = src.deref(node);
    if (!n || !isMap(n)) {
      src.problem(node, `${where} must be a map such as { latency: { ms: 200 }, toxicity: 0.5, seed: 1 } (faults: ${FAULT_NAMES.join(', ')})`);
      return INVALID;
    }
    const value: Record<string, unknown> = {};
    for (const e of src.entries(n)) value[e.key] = raw(src, e.value, `${where}.${e.key}`);
    const r = readFaultSpec(value);
    if (!r.spec) {
      for (const p of r.problems) src.problem(node, `${where}: ${p}`);
      return INVALID;
    }
    return { kind: 'fault', fault: r.spec };
  }),
  removeFault: map(oneOf(FAULT_NAMES), (name) => ({ kind: 'removeFault', name })),
  clearFaults: map(trueFlag, () => ({ kind: 'clearFaults' })),
  wait: map(duration, (ms) => ({ kind: 'wait', ms })),
  expect: map(expectation, (expect) => ({ kind: 'expect', expect })),
  // R13: Security Desk commands, event-to-actions and privileges.
  command: map(commandOrder, (v) => ({ kind: 'command', order: v })),
  eventToAction: map(object<CommandOrderSpec & { event: string }>({ event: str, ...commandRequired }, commandOptional), ({ event, ...order }) => ({ kind: 'eventToAction', event, order })),
  grantPrivilege: map(object<{ user: string; privilege: string }>({ user: str, privilege: oneOf(PRIVILEGES) }), (v) => ({ kind: 'grantPrivilege', ...v })),
  revokePrivilege: map(object<{ user: string; privilege: string }>({ user: str, privilege: oneOf(PRIVILEGES) }), (v) => ({ kind: 'revokePrivilege', ...v })),
  // R14: an operator edits a synchronized entity in SC (the next sync overwrites it).
  editEntity: map(object<{ type: (typeof SC_TYPES)[number]; id: string; fields: Record<string, Scalar> }>({ type: oneOf(SC_TYPES), id: str, fields: record(scalar) }), (v) => ({ kind: 'editEntity', ...v })),
  // Directory changes after start.
  deleteUser: map(str, (name) => ({ kind: 'deleteUser', name })),
  deleteGroup: map(str, (name) => ({ kind: 'deleteGroup', name })),
  deletePartition: map(str, (name) => ({ kind: 'deletePartition', name })),
  addMember: map(object<{ group: string; member: string }>({ group: str, member: str }), (v) => ({ kind: 'addMember', ...v })),
  // The plugin role's lifecycle (Config Tool), and R15 troubleshooting.
  restartRole: map(trueFlag, () => ({ kind: 'restartRole' })),
  deactivateRole: map(trueFlag, () => ({ kind: 'deactivateRole' })),
  activateRole: map(trueFlag, () => ({ kind: 'activateRole' })),
  deleteRole: map(trueFlag, () => ({ kind: 'deleteRole' })),
  restartProxy: map(trueFlag, () => ({ kind: 'restartProxy' })),
  serverSdkVersion: map(str, (version) => ({ kind: 'serverSdkVersion', version })),
  securityCenterVersion: map(str, (version) => ({ kind: 'securityCenterVersion', version })),
};

export const STEP_KEYS = Object.keys(STEP_ACTIONS);

const stepTitle = describe(str, "The step's title in reports");

/**
 * A step's JSON Schema: exactly one action key (each action's schema from
 * its reader), an optional name, and `rejects` only beside `apply` (an apply
 * without it must be a valid Properties tab).
 */
export const stepSchema: JsonSchema = {
  type: 'object',
  properties: { name: stepTitle.schema, rejects: rejectsFields.schema, problems: problemTexts.schema, refused: refusedText.schema, role: targetRole.schema, server: targetServer.schema, ...Object.fromEntries(Object.entries(STEP_ACTIONS).map(([k, a]) => [k, a.schema])) },
  additionalProperties: false,
  oneOf: STEP_KEYS.map((k) => ({ required: [k] })),
  dependencies: {
    rejects: ['apply'],
    problems: ['rejects'],
    refused: { anyOf: REFUSABLE.map((k) => ({ required: [k] })) },
    role: { anyOf: ROLE_STEPS.map((k) => ({ required: [k] })) },
    server: { anyOf: SERVER_STEPS.map((k) => ({ required: [k] })) },
  },
  if: { required: ['rejects'] },
  else: { properties: { apply: strictApply.schema } },
};

export function readStep(src: YamlSource, node: Node, index: number): Checked<Step> {
  const where = `steps[${index}]`;
  const n = src.deref(node);
  if (!n || !isMap(n)) {
    src.problem(node, `${where} must be a map with one action (${STEP_KEYS.join(', ')})`);
    return INVALID;
  }
  const entries = src.entries(n);
  const siblings = new Map(entries.map((e) => [e.key, e.value]));
  const actions = entries.filter((e) => STEP_ACTIONS[e.key]);
  let bad = false;
  for (const e of entries) {
    if (STEP_ACTIONS[e.key] || e.key === 'name' || (e.key === 'rejects' && siblings.has('apply'))) continue;
    if (e.key === 'problems' && siblings.has('rejects')) continue;
    if (e.key === 'refused' && REFUSABLE.some((k) => siblings.has(k))) continue;
    if (e.key === 'role' && ROLE_STEPS.some((k) => siblings.has(k))) continue;
    if (e.key === 'server' && SERVER_STEPS.some((k) => siblings.has(k))) continue;
    const besideOnly: Record<string, readonly string[]> = { role: ROLE_STEPS, server: SERVER_STEPS, refused: REFUSABLE, rejects: ['apply'], problems: ['apply (with rejects)'] };
    const only = besideOnly[e.key];
    if (only) {
      src.problem(e.keyNode, `"${e.key}" in ${where} goes only beside ${only.join(', ')}`);
      bad = true;
      continue;
    }
    const hint = didYouMean(e.key, [...STEP_KEYS, 'name', 'rejects', 'problems', 'refused', 'role', 'server']);
    src.problem(e.keyNode, `unknown step key "${e.key}" in ${where}${hint ? ` (did you mean "${hint}"?)` : ''}`);
    bad = true;
  }
  if (actions.length !== 1) {
    if (!bad) src.problem(n, actions.length === 0 ? `${where} has no action (one of ${STEP_KEYS.join(', ')})` : `${where} has ${actions.length} actions (${actions.map((a) => a.key).join(', ')}): write one per step`);
    return INVALID;
  }
  const a = actions[0];
  if (!a || bad) return INVALID;
  const action = STEP_ACTIONS[a.key]?.(src, a.value, `${where}.${a.key}`, siblings);
  const nameNode = siblings.get('name');
  const name = nameNode !== undefined ? stepTitle(src, nameNode, `${where}.name`) : undefined;
  const refusedNode = siblings.get('refused');
  const refused = refusedNode !== undefined ? refusedText(src, refusedNode, `${where}.refused`) : undefined;
  const problemsNode = siblings.get('problems');
  const problems = problemsNode !== undefined ? problemTexts(src, problemsNode, `${where}.problems`) : undefined;
  const roleNode = siblings.get('role');
  const role = roleNode !== undefined && a.key !== 'apply' ? targetRole(src, roleNode, `${where}.role`) : undefined;
  const serverNode = siblings.get('server');
  const server = serverNode !== undefined ? targetServer(src, serverNode, `${where}.server`) : undefined;
  if (action === undefined || action === INVALID || name === INVALID || refused === INVALID || problems === INVALID || role === INVALID || server === INVALID) return INVALID;
  const pos = src.position(n);
  return {
    ...action,
    ...(refused !== undefined ? { refused } : {}),
    ...(problems !== undefined ? { problems } : {}),
    ...(name !== undefined ? { title: name } : {}),
    ...(role !== undefined ? { role } : {}),
    ...(server !== undefined ? { server } : {}),
    at: { file: src.file, line: pos.line, column: pos.column },
  };
}

export interface TopLevel {
  name?: string;
  description?: string;
  rules?: string[];
  tags?: string[];
  include?: string[];
  seed?: number;
  population?: PopulationSpec;
  server?: Partial<ServerSpec>;
  securityCenter?: Partial<SecurityCenterSpec>;
  plugin?: Record<string, unknown>;
  servers?: Record<string, Partial<ServerSpec> & { population: PopulationSpec }>;
  roles?: Record<string, { server?: string; plugin?: Record<string, unknown> }>;
  invariants?: Array<(typeof INVARIANTS)[number]>;
  limits?: { simulated?: number; wall?: number };
}

const RULES = ['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8', 'R9', 'R10', 'R11', 'R12', 'R13', 'R14', 'R15'] as const;

export const topLevel = object<TopLevel>(
  {},
  {
    name: str,
    description: str,
    rules: oneOrMany(oneOf(RULES)),
    tags: list(str),
    include: oneOrMany(str),
    seed: int(0, 2 ** 31 - 1),
    population,
    server,
    securityCenter,
    plugin: strictConfig,
    servers,
    roles,
    invariants: list(oneOf(INVARIANTS)),
    // Per-scenario time limits (harness/runner/timeLimits.ts); they win over --sim-timeout / --timeout.
    limits: describe(
      object<{ simulated?: number; wall?: number }>(
        {},
        {
          simulated: describe(duration, 'Longest simulated time the scenario may span (default 1h)'),
          wall: describe(duration, 'Longest wall-clock time the scenario may take (default 60s)'),
        },
      ),
      'Time limits: exceeding one fails the scenario, naming it',
    ),
    // loadScenario reads the steps one by one (readStep) and refuses an empty list: this entry
    // gives the schema (minItems says the same) and marks the key as known.
    steps: reader({ type: 'array', items: stepSchema, minItems: 1, description: 'The actions and expectations, in order' }, () => []),
  },
);
