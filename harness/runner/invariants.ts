import type { Clock } from '../../core/clock.js';
import type { PluginRole, RoleNotice } from '../../plugin/pluginRole.js';
import type { SecurityCenter } from '../../plugin/securitycenter/securityCenter.js';
import type { SiPassServer } from '../../simulator/sipassServer.js';
import type { Invariant } from '../scenario/scenario.js';
import type { ScenarioResult } from './results.js';

type Violations = ScenarioResult['invariantViolations'];

/**
 * Invariants watched as they happen: `readyMeansComplete` is checked at the
 * instant the role becomes ready (never ready with a partial population).
 */
export class InvariantWatch {
  private readonly onNotice: (n: RoleNotice) => void;

  constructor(
    invariants: Invariant[],
    private readonly role: PluginRole,
    _server: () => SiPassServer,
    clock: Clock,
    violations: Violations,
  ) {
    this.onNotice = (n) => {
      if (n.kind !== 'state' || n.state !== 'ready' || !invariants.includes('readyMeansComplete')) return;
      const s = role.snapshot();
      if (s.serverDigest !== s.digest) {
        violations.push({ invariant: 'readyMeansComplete', message: `ready with digest ${s.digest}, the server's sync said ${s.serverDigest ?? 'nothing'}`, simulatedAt: clock.now() });
      }
    };
    role.on('notice', this.onNotice);
  }

  serverChanged(): void {}

  stop(): void {
    this.role.off('notice', this.onNotice);
  }
}

/** Invariants checked after every step, once the I/O has settled. */
export function checkInvariants(invariants: Invariant[], role: PluginRole, sc: SecurityCenter, at: number, violations: Violations, stepKind: string): void {
  if (invariants.includes('occurrencesOnce')) {
    const seen = new Set<string>();
    for (const e of sc.monitor.list()) {
      if (e.kind !== 'raised') continue;
      if (seen.has(e.occurrenceId)) {
        violations.push({ invariant: 'occurrencesOnce', message: `occurrence ${e.occurrenceId} triggered twice as new`, simulatedAt: at });
        break;
      }
      seen.add(e.occurrenceId);
    }
  }
  // R5: after a reconcile (a sync or an Apply), every plugin alarm holds every configured partition.
  if (invariants.includes('partitionsConfigured') && (stepKind === 'apply' || role.state === 'ready') && stepKind !== 'editAlarm') {
    const configured = role.config?.alarmPartitions ?? [];
    for (const a of role.entities.pluginAlarms()) {
      const missing = configured.filter((p) => !a.partitions.includes(p));
      if (missing.length > 0 && stepKind === 'apply') {
        violations.push({ invariant: 'partitionsConfigured', message: `alarm ${a.name} lacks configured partitions ${missing.join(', ')}`, simulatedAt: at });
        break;
      }
    }
  }
  if (invariants.includes('noDuplicateEntities')) {
    const ids = new Set<string>();
    const keys = new Set<string>();
    for (const e of role.entities.entities()) {
      const key = `${e.type}:${e.sipassId}`;
      if (ids.has(e.id) || keys.has(key)) {
        violations.push({ invariant: 'noDuplicateEntities', message: `duplicate SC entity ${e.id} (${key})`, simulatedAt: at });
        break;
      }
      ids.add(e.id);
      keys.add(key);
    }
  }
}
