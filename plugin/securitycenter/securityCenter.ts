import { TestbenchError } from '../../core/testbenchError.js';
import type { Scalar } from '../../protocol/sipassTypes.js';
import { DEFAULT_SDK_VERSION } from '../../protocol/version.js';
import type { ConfigInput, PluginConfig } from '../config/pluginConfig.js';
import { AlarmMonitor } from './alarmMonitor.js';
import { AlarmRegistry } from './alarmRegistry.js';
import { Directory } from './directory.js';
import { CommandLog } from './commandLog.js';
import { EventLog } from './eventLog.js';
import type { HostedRole } from './hostedRole.js';
import { SC_TYPES, type ScType } from './scTypes.js';

export interface EntityBrowserNode {
  name: string;
  kind: 'role' | 'type';
  count: number;
  children?: EntityBrowserNode[];
}

/**
 * The Security Center model: directory, alarm entities, alarm monitor, event
 * log, and the plugin roles with their nodes in the entity browser.
 */
export class SecurityCenter {
  readonly directory = new Directory();
  readonly alarms = new AlarmRegistry();
  readonly monitor: AlarmMonitor;
  readonly events: EventLog;
  /** R15: Security Center's version; the SiPass proxy's SDK must be the same (major.minor). */
  version = DEFAULT_SDK_VERSION;
  /** R14: cardholder custom fields, created automatically by the plugin, named after the SiPass field. */
  readonly customFields = new Set<string>();
  /** R13: the manual-override commands run from Security Desk, with their results. */
  readonly commands = new CommandLog();
  private readonly roles = new Map<string, HostedRole>();
  private rolesCreated = 0;

  constructor(options: { monitorCapacity?: number; eventCapacity?: number } = {}) {
    this.monitor = new AlarmMonitor(options.monitorCapacity);
    this.events = new EventLog(options.eventCapacity);
  }

  /** Fills the directory, and the operators' alarms, from a scenario's `securityCenter:` section. */
  populate(spec: {
    users?: readonly string[];
    groups?: Readonly<Record<string, readonly string[]>>;
    partitions?: readonly string[];
    alarms?: ReadonlyArray<{ name: string; recipients?: string[]; partitions?: string[] }>;
    privileges?: Readonly<Record<string, readonly string[]>>;
    version?: string;
  }): void {
    if (spec.version !== undefined) this.version = spec.version;
    for (const u of spec.users ?? []) this.directory.addUser(u);
    for (const [g, members] of Object.entries(spec.groups ?? {})) this.directory.addGroup(g, [...members]);
    for (const p of spec.partitions ?? []) this.directory.addPartition(p);
    for (const a of spec.alarms ?? []) this.alarms.createByOperator(a.name, a.recipients, a.partitions);
    for (const [who, privileges] of Object.entries(spec.privileges ?? {})) for (const p of privileges) this.directory.grant(who, p);
  }

  /** R1: a role name is taken once (plugin/createPluginRole.ts creates the role). */
  reserveRoleName(name: string): void {
    if (this.roles.has(name)) throw new TestbenchError('ROLE_EXISTS', `a role named "${name}" already exists`);
  }

  /** SC ids are unique in Security Center: the first role's entities are SC-n, the second's SC2-n, ... */
  nextEntityIdPrefix(): string {
    this.rolesCreated++;
    return this.rolesCreated === 1 ? 'SC' : `SC${this.rolesCreated}`;
  }

  /** Hosts a role created by plugin/createPluginRole.ts; returns it. */
  adoptRole<R extends HostedRole>(role: R): R {
    this.reserveRoleName(role.name);
    this.roles.set(role.name, role);
    return role;
  }

  hasRole(name: string): boolean {
    return this.roles.has(name);
  }

  /** R1: configuring a role that does not exist is an error naming it; nothing changes. */
  role(name: string): HostedRole {
    const r = this.roles.get(name);
    if (!r) {
      const known = [...this.roles.keys()];
      throw new TestbenchError(
        'ROLE_NOT_FOUND',
        `the plugin role "${name}" does not exist: create the SiPass plugin role first${known.length ? ` (roles: ${known.join(', ')})` : ''}`,
        { role: name },
      );
    }
    return r;
  }

  /** Config Tool: deletes a plugin role; its entities (and plugin-created alarms) leave SC. */
  deleteRole(name: string): void {
    this.role(name).dispose();
    this.roles.delete(name);
  }

  listRoles(): HostedRole[] {
    return [...this.roles.values()];
  }

  /** Config Tool > Plugins > (role) > Properties > Apply. */
  configureRole(name: string, input: ConfigInput): PluginConfig {
    return this.role(name).apply(input);
  }

  // Alarms task: operator edits on one alarm entity, checked against the directory.

  addAlarmRecipient(alarm: string, recipient: string): void {
    if (!this.directory.isRecipient(recipient)) {
      throw new TestbenchError('SC_UNKNOWN_RECIPIENT', `"${recipient}" is not a user or user group in Security Center`);
    }
    this.alarms.addRecipient(alarm, recipient);
  }

  removeAlarmRecipient(alarm: string, recipient: string): void {
    this.alarms.removeRecipient(alarm, recipient);
  }

  addAlarmPartition(alarm: string, partition: string): void {
    if (!this.directory.hasPartition(partition)) {
      throw new TestbenchError('SC_UNKNOWN_PARTITION', `"${partition}" is not a partition in Security Center`);
    }
    this.alarms.addPartition(alarm, partition);
  }

  removeAlarmPartition(alarm: string, partition: string): void {
    this.alarms.removePartition(alarm, partition);
  }

  /** R14: an operator edits a synchronized entity's values in SC (one-way sync: the next sync overwrites it). */
  editEntity(entity: { fields: Readonly<Record<string, Scalar>>; name: string }, changes: Readonly<Record<string, Scalar>>): void {
    entity.fields = { ...entity.fields, ...changes };
    if (typeof changes.name === 'string') entity.name = changes.name;
  }

  /** The entity browser: each plugin role's node, its SC types and counts. */
  entityBrowser(): EntityBrowserNode[] {
    return this.listRoles().map((role) => {
      const counts = role.entities.countsByScType();
      const children = SC_TYPES.filter((t) => counts[t] > 0).map((t: ScType) => ({ name: t, kind: 'type' as const, count: counts[t] }));
      return { name: role.name, kind: 'role' as const, count: children.reduce((n, c) => n + c.count, 0), children };
    });
  }
}
