import type { Clock } from '../../core/clock.js';
import type { EventLog } from './eventLog.js';
import { NATIVE_EVENTS } from './mapping.js';
import type { ScEntity } from './scTypes.js';

/** What the role reports when a SiPass event is fired in SC. */
export interface EventNotice {
  kind: 'event';
  name: string;
  native: string | null;
}

export interface EventDeliveryDeps {
  readonly clock: Clock;
  readonly events: EventLog;
  readonly roleName: string;
  /** The custom event the sync created for a SiPass event type (R7), if any. */
  customEventFor(eventTypeId: string): ScEntity | undefined;
  /** The SiPass event type's display name, when it was synchronized. */
  eventTypeName(eventTypeId: string): string | undefined;
  notify(n: EventNotice): void;
}

/** R11: every SiPass event fires the custom event of the same name; some also a native one. */
export class EventDelivery {
  constructor(private readonly deps: EventDeliveryDeps) {}

  fire(eventTypeId: string, eventId: string, source: string): void {
    const d = this.deps;
    const custom = d.customEventFor(eventTypeId);
    const name = custom?.name ?? d.eventTypeName(eventTypeId) ?? eventTypeId;
    const at = d.clock.now();
    d.events.fire({ at, kind: 'custom', name, eventId, source, role: d.roleName });
    const native = NATIVE_EVENTS[name] ?? null;
    if (native) d.events.fire({ at, kind: 'native', name: native, eventId, source, role: d.roleName });
    d.notify({ kind: 'event', name, native });
  }
}
