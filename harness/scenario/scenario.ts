import type { ConfigInput } from '../../plugin/config/pluginConfig.js';
import type { RoleState } from '../../plugin/machine/roleMachine.js';
import type { ScType } from '../../plugin/securitycenter/scTypes.js';
import type { CommandAction, PulsePattern } from '../../protocol/messages.js';
import type { Scalar, SiPassRecord, SiPassType } from '../../protocol/sipassTypes.js';
import type { FaultSpec } from '../../simulator/faults/fault.js';
import type { PopulationSpec } from '../../simulator/populationSpec.js';

/** Where a step was written, for reports (file:line). */
export interface StepLocation {
  file: string;
  line: number;
  column: number;
}

export interface SecurityCenterSpec {
  users: string[];
  groups: Record<string, string[]>;
  partitions: string[];
  /** R1: the plugin role to create; null creates none. */
  role: string | null;
  /** Alarm entities created by operators (the plugin never touches them, R5). */
  alarms: Array<{ name: string; recipients?: string[]; partitions?: string[] }>;
  /** R13: privileges per user or user group. */
  privileges?: Record<string, string[]>;
  /** R15: Security Center's version (the proxy's SDK must match). */
  version?: string;
}

export interface ServerSpec {
  /** Logical address of the fake server as the scenario's role sees it. */
  host: string;
  names: string[];
  port: number;
  syncRate: number;
  batchSize: number;
  /** R15: the proxy's SDK version, announced in the welcome. */
  sdkVersion?: string;
  /** R15: the proxy's diagnostic server (4502-4534, default 4523) and web interface (6024) ports. */
  diagnosticPort?: number;
  diagnosticWebPort?: number;
}

/** Another fake SiPass server of the scenario (`servers:`), with its own site. */
export interface ExtraServerSpec extends ServerSpec {
  population: PopulationSpec;
}

/** Another plugin role in the same Security Center (`roles:`). */
export interface ExtraRoleSpec {
  /** The server its Properties tab's host and port default to ('main': the scenario's `server:`). */
  server: string;
  /** Its Properties tab applied before the first step; null: the steps apply it. */
  plugin: ConfigInput | null;
}

/** The name `server:` has when steps and expectations pick a server. */
export const MAIN_SERVER = 'main';

export interface Expectation {
  state?: RoleState;
  within?: number;
  counts?: Partial<Record<ScType, number>>;
  entity?: { type: ScType; id: string; name?: string; fields?: Record<string, Scalar>; absent?: boolean; rememberAs?: string; sameIdAs?: string };
  alarm?: { alarm: string; recipients?: string[]; partitions?: string[]; absent?: boolean; priority?: number };
  monitor?: {
    occurrence?: string;
    alarm?: string;
    count?: number;
    kind?: 'raised' | 'retrigger';
    notified?: string[];
    acknowledgedBy?: string;
    /** R10: acknowledged by anyone (true) or not yet (false). */
    acknowledged?: boolean;
  };
  events?: { custom?: Record<string, number>; native?: Record<string, number> };
  /** R11: the last fired event of that name; its source entity as the SC entity of that SiPass id. */
  event?: { name: string; kind?: 'custom' | 'native'; sourceEntity?: { type: ScType; id: string }; noSourceEntity?: true };
  lastError?: { code?: string; message?: string } | null;
  config?: ConfigInput;
  /** acknowledgedBy: occurrence -> the user whose acknowledgement SiPass holds (R10). */
  sipass?: { acknowledged?: string[]; scAcknowledgements?: number; activeAlarms?: number; acknowledgedBy?: Record<string, string> };
  converged?: boolean;
  /** Which role the role-level keys look at (default: the scenario's). */
  role?: string;
  /** Which server the SiPass-side keys look at (default: the one the role's Properties tab points at, else main). */
  server?: string;
  roleExists?: boolean;
  /** false: the role is deactivated. */
  active?: boolean;
  health?: 'ok' | 'warning' | 'error';
  attempt?: number;
  /** The next retry, from now: within [atLeast, atMost]; none: no retry scheduled. */
  nextRetry?: { atLeast?: number; atMost?: number; none?: boolean };
  /** The back-off intervals the role waited so far (each in [atLeast, atMost]; grows: non-decreasing until the cap). */
  backoff?: { atLeast?: number; atMost?: number; grows?: boolean; count?: number };
  progress?: { perType?: Record<string, { done?: number; total?: number }>; done?: number; total?: number; rateAbove?: number; eta?: boolean; none?: boolean };
  /** The Synchronization tab: per-type counts of the last sync and when it ended. */
  syncTab?: { counts?: Record<string, number>; lastSync?: { mode?: 'full' | 'manual'; none?: boolean; atLeast?: number } };
  /** Connections the role completed (handshakes) since it was created. */
  connections?: number;
  /** false: the role completed at most one connection. */
  reconnected?: boolean;
  commands?: { count?: number; last?: { operator?: string; action?: string; result?: 'pending' | 'executed' | 'failed' | 'refused'; cause?: string; via?: string; entity?: string; detail?: string } };
  activityTrail?: { count?: number; last?: { who?: string; what?: string; entity?: string; result?: 'executed' | 'failed' } };
  sipassEntity?: { type: SiPassType; id: string; fields?: Record<string, Scalar>; absent?: boolean };
  cardholder?: { id: string; definition?: Record<string, Scalar>; personal?: Record<string, Scalar>; vehicles?: Record<string, Scalar>; imaging?: Record<string, Scalar>; custom?: Record<string, Scalar> };
  customFields?: string[];
  /** R15 troubleshooting "compare entity counts": SC's per-type counts equal SiPass's. */
  countsMatch?: boolean;
  /** R15: what the proxy announced to the role at its last handshake (SDK version, diagnostic ports). */
  proxy?: { sdkVersion?: string; diagnosticPort?: number; diagnosticWebPort?: number };
}

/** R13: an operator's manual override, as a step writes it. */
export interface CommandOrderStep {
  operator: string;
  entity: { type: ScType; id: string };
  action: CommandAction;
  reader?: 'A' | 'B';
  output?: number;
  pattern?: PulsePattern;
}

export type StepAction =
  | { kind: 'apply'; role?: string; input: ConfigInput; rejects?: string[] }
  | { kind: 'manualSync' }
  | { kind: 'editAlarm'; alarm: string; addRecipient?: string; removeRecipient?: string; addPartition?: string; removePartition?: string }
  | { kind: 'acknowledge'; occurrence: string; user: string }
  | { kind: 'createUser'; name: string }
  | { kind: 'createGroup'; name: string; members: string[] }
  | { kind: 'createPartition'; name: string }
  | { kind: 'createAlarm'; name: string; recipients: string[]; partitions: string[] }
  | { kind: 'raiseAlarm'; alarmClass: string; occurrence?: string }
  | { kind: 'sipassAcknowledge'; occurrence: string; by?: string }
  | { kind: 'clearAlarm'; occurrence: string }
  | { kind: 'fireEvent'; eventType: string; source?: string; sourceEntity?: { type: SiPassType; id: string } }
  | { kind: 'addEntity'; type: SiPassType; entity: SiPassRecord }
  | { kind: 'updateEntity'; type: SiPassType; id: string; fields: Record<string, Scalar> }
  | { kind: 'deleteEntity'; type: SiPassType; id: string }
  | { kind: 'serverPort'; port: number }
  | { kind: 'stopServer' }
  | { kind: 'startServer' }
  | { kind: 'restartServer'; population?: PopulationSpec }
  | { kind: 'blockPort' }
  | { kind: 'unblockPort' }
  | { kind: 'resetConnections' }
  | { kind: 'fault'; fault: FaultSpec }
  | { kind: 'removeFault'; name: string }
  | { kind: 'clearFaults' }
  | { kind: 'wait'; ms: number }
  | { kind: 'expect'; expect: Expectation }
  | { kind: 'command'; order: CommandOrderStep }
  | { kind: 'eventToAction'; event: string; order: CommandOrderStep }
  | { kind: 'grantPrivilege'; user: string; privilege: string }
  | { kind: 'revokePrivilege'; user: string; privilege: string }
  | { kind: 'editEntity'; type: ScType; id: string; fields: Record<string, Scalar> }
  | { kind: 'deleteUser'; name: string }
  | { kind: 'deleteGroup'; name: string }
  | { kind: 'deletePartition'; name: string }
  | { kind: 'addMember'; group: string; member: string }
  | { kind: 'restartRole' }
  | { kind: 'deactivateRole' }
  | { kind: 'activateRole' }
  | { kind: 'deleteRole' }
  | { kind: 'restartProxy' }
  | { kind: 'serverSdkVersion'; version: string }
  | { kind: 'securityCenterVersion'; version: string };

/** `title` is the step's optional `name:` key (kept apart from the `name` of createUser/createGroup/createPartition/createAlarm). */
export type Step = StepAction & {
  title?: string;
  at: StepLocation;
  /** The step must be refused, its cause containing this text (manualSync, command, acknowledge). */
  refused?: string;
  /** Beside apply + rejects: texts the rejection message must contain. */
  problems?: string[];
  /** The role a role step acts on (apply: the role its value names); default: the scenario's. */
  role?: string;
  /** The server a SiPass-side step acts on (`servers:` key or main); default: main. */
  server?: string;
};

export const INVARIANTS = ['readyMeansComplete', 'partitionsConfigured', 'occurrencesOnce', 'noDuplicateEntities'] as const;
export type Invariant = (typeof INVARIANTS)[number];

export interface Scenario {
  file: string;
  name: string;
  description: string;
  rules: string[];
  tags: string[];
  seed: number;
  population: PopulationSpec;
  server: ServerSpec;
  securityCenter: SecurityCenterSpec;
  /** The Properties tab applied before the first step; null: the steps apply it. */
  plugin: ConfigInput | null;
  /** More fake SiPass servers, by name (never "main", the name of `server:`). */
  servers?: Record<string, ExtraServerSpec>;
  /** More plugin roles in the same Security Center, by name. */
  roles?: Record<string, ExtraRoleSpec>;
  invariants: Invariant[];
  /** The scenario's own time limits (`limits:`), in ms; unset ones come from the run or the defaults. */
  limits?: { simulatedMs?: number; wallMs?: number };
  steps: Step[];
}
