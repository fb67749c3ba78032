import type { ConfigInput } from '../../plugin/config/pluginConfig.js';
import type { RoleState } from '../../plugin/machine/roleMachine.js';
import type { ScType } from '../../plugin/securitycenter/scTypes.js';
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
}

export interface ServerSpec {
  /** Logical address of the fake server as the scenario's role sees it. */
  host: string;
  names: string[];
  port: number;
  syncRate: number;
  batchSize: number;
}

export interface Expectation {
  state?: RoleState;
  within?: number;
  counts?: Partial<Record<ScType, number>>;
  entity?: { type: ScType; id: string; name?: string; fields?: Record<string, Scalar>; absent?: boolean };
  alarm?: { alarm: string; recipients?: string[]; partitions?: string[]; absent?: boolean };
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
  | { kind: 'expect'; expect: Expectation };

/** `title` is the step's optional `name:` key (kept apart from the `name` of createUser/createGroup/createPartition/createAlarm). */
export type Step = StepAction & { title?: string; at: StepLocation };

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
  invariants: Invariant[];
  /** The scenario's own time limits (`limits:`), in ms; unset ones come from the run or the defaults. */
  limits?: { simulatedMs?: number; wallMs?: number };
  steps: Step[];
}
