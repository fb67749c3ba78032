import type { Clock } from '../core/clock.js';
import type { ErrorInfo } from '../core/testbenchError.js';
import type { PluginConfig } from './config/pluginConfig.js';
import type { Connector } from './connection/connector.js';
import type { ConnectionTimings } from './connection/roleConnection.js';
import type { BackoffPolicy } from './machine/backoff.js';
import type { LastSync, RoleState } from './machine/roleMachine.js';
import type { SyncProgress } from './machine/syncProgress.js';
import type { AlarmNotice } from './securitycenter/alarmDelivery.js';
import type { EventNotice } from './securitycenter/eventDelivery.js';
import type { ScType } from './securitycenter/scTypes.js';

export interface PluginRoleOptions {
  clock?: Clock;
  connector?: Connector;
  roleId?: string;
  backoff?: Partial<BackoffPolicy>;
  timings?: Partial<ConnectionTimings>;
  maxFrame?: number;
  /** Prefix of the SC ids this role's entities get (unique per role in one Security Center; default SC). */
  entityIdPrefix?: string;
  /**
   * TEST-ONLY: known bugs the property tests inject to show they find them
   * (test/property/injectedBug.test.ts). Never set in the product.
   * shareRecipientList: new alarm entities alias the role's recipient list
   * instead of copying it, so a later Apply changes them (violates R4).
   */
  faultInjection?: { shareRecipientList?: boolean };
}

/** Everything a user (CLI, dashboard, report, test) can see of the role at one instant. */
export interface RoleSnapshot {
  role: string;
  state: RoleState;
  /** The internal sub-state, e.g. "connecting.backoff". */
  detail: string;
  /** R9: yellow while syncing; red while it cannot connect. */
  health: 'ok' | 'warning' | 'error';
  config: PluginConfig | null;
  attempt: number;
  lastError: ErrorInfo | null;
  nextRetryAt: number | null;
  progress: SyncProgress | null;
  lastSync: LastSync | null;
  connectedTo: string | null;
  counts: Record<ScType, number>;
  digest: string;
  serverDigest: string | null;
  lastSeq: number;
  pendingScAcks: number;
  framesIn: number;
  bytesIn: number;
  /** Bytes over every connection so far (for the scenario runner's quiescence check). */
  totalBytesIn: number;
  totalBytesOut: number;
}

export type RoleNotice =
  | { kind: 'state'; state: RoleState; detail: string; at: number; error: ErrorInfo | null }
  | { kind: 'error'; error: ErrorInfo }
  | { kind: 'syncDone'; at: number; ms: number; total: number }
  | AlarmNotice
  | EventNotice;
