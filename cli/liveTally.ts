import type { RoleNotice } from '../plugin/pluginRole.js';
import type { SecurityCenter } from '../plugin/securitycenter/securityCenter.js';

export interface LiveCounts {
  alarms: { raised: number; distinct: number; duplicates: number; retriggers: number };
  events: { fired: number; distinct: number; duplicates: number };
  /** Occurrences acknowledged in SiPass (R10) as Security Center shows them. */
  acknowledged: number;
}

/**
 * What one role received live, counted the way an external exactly-once check needs (issue 11):
 * each alarm occurrence raised once (a retrigger on reconnection, R10, is counted apart), each
 * SiPass event's custom event fired once (R11), by id, so a duplicate shows as one.
 */
export class LiveTally {
  private readonly raised = new Map<string, number>();
  private retriggers = 0;

  constructor(
    private readonly sc: SecurityCenter,
    role: { on(event: 'notice', fn: (n: RoleNotice) => void): unknown },
  ) {
    role.on('notice', (n: RoleNotice) => {
      if (n.kind !== 'alarm') return;
      if (n.retrigger) this.retriggers++;
      else this.raised.set(n.occurrenceId, (this.raised.get(n.occurrenceId) ?? 0) + 1);
    });
  }

  counts(): LiveCounts {
    let raised = 0;
    for (const n of this.raised.values()) raised += n;
    const events = this.sc.events.list().filter((e) => e.kind === 'custom');
    const eventIds = new Set(events.map((e) => e.eventId));
    const acked = new Set(
      this.sc.monitor
        .list()
        .filter((e) => e.acknowledged?.from === 'sipass')
        .map((e) => e.occurrenceId),
    );
    return {
      alarms: { raised, distinct: this.raised.size, duplicates: raised - this.raised.size, retriggers: this.retriggers },
      events: { fired: events.length, distinct: eventIds.size, duplicates: events.length - eventIds.size },
      acknowledged: acked.size,
    };
  }
}
