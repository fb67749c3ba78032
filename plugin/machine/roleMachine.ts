import { assign, setup, type SnapshotFrom } from 'xstate';
import type { ErrorInfo } from '../../core/testbenchError.js';
import type { SiPassType } from '../../protocol/sipassTypes.js';
import type { PluginConfig } from '../config/pluginConfig.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import { advanceProgress, beginProgress, type SyncProgress } from './syncProgress.js';

export interface LastSync {
  mode: 'full' | 'manual';
  startedAt: number;
  endedAt: number;
  counts: Partial<Record<SiPassType, number>>;
}

export interface RoleContext {
  config: PluginConfig | null;
  backoff: BackoffPolicy;
  /** Failed connection attempts since the last `ready`. */
  attempt: number;
  lastError: ErrorInfo | null;
  nextRetryAt: number | null;
  retryDelayMs: number;
  syncMode: 'full' | 'manual';
  progress: SyncProgress | null;
  lastSync: LastSync | null;
  connectedAt: number | null;
}

/** Every event carries `at` (the injected clock's time) so the machine stays pure. */
export type RoleEvent =
  | { type: 'APPLY'; at: number; config: PluginConfig; reconnect: boolean; overwritePartitions: boolean }
  | { type: 'CONNECTED'; at: number }
  | { type: 'CONNECT_FAILED'; at: number; error: ErrorInfo }
  | { type: 'CONNECTION_LOST'; at: number; error: ErrorInfo }
  | { type: 'SYNC_BEGIN'; at: number; totals: Partial<Record<SiPassType, number>> }
  | { type: 'SYNC_PROGRESS'; at: number; entityType: SiPassType; count: number }
  | { type: 'SYNC_DONE'; at: number; counts: Partial<Record<SiPassType, number>> }
  | { type: 'MANUAL_SYNC'; at: number };

/**
 * The SiPass plugin role (SPEC "State machine"): unconfigured -> connecting ->
 * syncing -> ready. Transitions are pure; effects are named actions the role
 * provides (`dial`, `hangUp`, `requestSync`, `applyAlarmSettings`), and the
 * back-off is a delayed transition on the injected clock.
 */
export const roleMachine = setup({
  types: {
    context: {} as RoleContext,
    events: {} as RoleEvent,
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- xstate reads the type from this value
    input: {} as { backoff?: BackoffPolicy } | undefined,
  },
  actions: {
    dial: () => {},
    hangUp: () => {},
    requestSync: (_, _params: { mode: 'full' | 'manual' }) => {},
    applyAlarmSettings: (_, _params: { overwritePartitions: boolean; partitions: string[] }) => {},
    lost: assign(({ context, event }) => {
      if (event.type !== 'CONNECTION_LOST') return {};
      const delay = backoffDelay(context.attempt, context.backoff);
      return { lastError: event.error, attempt: context.attempt + 1, retryDelayMs: delay, nextRetryAt: event.at + delay, connectedAt: null };
    }),
  },
  delays: {
    retryDelay: ({ context }) => context.retryDelayMs,
  },
  guards: {
    reconnects: ({ event }) => event.type === 'APPLY' && event.reconnect,
  },
}).createMachine({
  id: 'role',
  context: ({ input }) => ({
    config: null,
    backoff: input?.backoff ?? DEFAULT_BACKOFF,
    attempt: 0,
    lastError: null,
    nextRetryAt: null,
    retryDelayMs: 0,
    syncMode: 'full',
    progress: null,
    lastSync: null,
    connectedAt: null,
  }),
  initial: 'unconfigured',
  on: {
    APPLY: [
      {
        // R6: a changed host or port reconnects.
        guard: 'reconnects',
        target: '.connecting',
        reenter: true,
        actions: [
          assign(({ event }) => ({ config: event.config, attempt: 0, nextRetryAt: null, progress: null, syncMode: 'full' as const })),
          'hangUp',
          { type: 'applyAlarmSettings', params: ({ event }) => ({ overwritePartitions: event.overwritePartitions, partitions: event.config.alarmPartitions }) },
        ],
      },
      {
        // R6: recipients or partitions only: same state, R4/R5 applied at once.
        actions: [
          assign(({ event }) => ({ config: event.config })),
          { type: 'applyAlarmSettings', params: ({ event }) => ({ overwritePartitions: event.overwritePartitions, partitions: event.config.alarmPartitions }) },
        ],
      },
    ],
  },
  states: {
    unconfigured: {
      on: {
        APPLY: {
          target: 'connecting',
          actions: assign(({ event }) => ({ config: event.config, syncMode: 'full' as const })),
        },
      },
    },
    connecting: {
      initial: 'dialing',
      states: {
        dialing: {
          entry: 'dial',
          on: {
            CONNECTED: {
              target: '#role.syncing',
              actions: assign(({ event }) => ({ connectedAt: event.at, nextRetryAt: null, syncMode: 'full' as const })),
            },
            CONNECT_FAILED: {
              target: 'backoff',
              actions: assign(({ context, event }) => {
                const delay = backoffDelay(context.attempt, context.backoff);
                return { lastError: event.error, attempt: context.attempt + 1, retryDelayMs: delay, nextRetryAt: event.at + delay };
              }),
            },
          },
        },
        backoff: {
          entry: 'hangUp',
          after: { retryDelay: 'dialing' },
        },
      },
    },
    syncing: {
      entry: { type: 'requestSync', params: ({ context }) => ({ mode: context.syncMode }) },
      on: {
        SYNC_BEGIN: { actions: assign(({ context, event }) => ({ progress: beginProgress(context.syncMode, event.at, event.totals) })) },
        SYNC_PROGRESS: {
          actions: assign(({ context, event }) =>
            context.progress ? { progress: advanceProgress(context.progress, event.entityType, event.count, event.at) } : {},
          ),
        },
        SYNC_DONE: {
          target: 'ready',
          actions: assign(({ context, event }) => ({
            attempt: 0,
            lastSync: { mode: context.syncMode, startedAt: context.progress?.startedAt ?? event.at, endedAt: event.at, counts: event.counts },
          })),
        },
        // R9: a disconnect during a sync is a known cause of failure: show it, then recover.
        CONNECTION_LOST: { target: 'connecting.backoff', actions: 'lost' },
      },
    },
    ready: {
      on: {
        MANUAL_SYNC: { target: 'syncing', actions: assign({ syncMode: 'manual' as const, progress: null }) },
        CONNECTION_LOST: { target: 'connecting.backoff', actions: 'lost' },
      },
    },
  },
});

export type RoleMachineSnapshot = SnapshotFrom<typeof roleMachine>;

/** The four names users see (SPEC); sub-states stay internal. */
export type RoleState = 'unconfigured' | 'connecting' | 'syncing' | 'ready';

export function visibleState(value: RoleMachineSnapshot['value']): RoleState {
  if (typeof value === 'string') return value;
  return Object.keys(value)[0] as RoleState;
}
