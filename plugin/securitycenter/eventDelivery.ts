import type { Clock } from '../../core/clock.js';
import type { EventFired } from '../../protocol/messages.js';
import type { SiPassType } from '../../protocol/sipassTypes.js';
import type { EventLog } from './eventLog.js';
import { nativeEventFor } from './nativeEvents.js';
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
  /** The first SC entity the sync created for a SiPass entity (R11 source entity). */
  scEntityOf(type: SiPassType, id: string): ScEntity | undefined;
  notify(n: EventNotice): void;
}

/** R11: every SiPass event fires the custom event of the same name; some also a native one. */
export class EventDelivery {
  constructor(private readonly deps: EventDeliveryDeps) {}

  fire(m: Pick<EventFired, 'eventTypeId' | 'eventId' | 'source' | 'sourceType' | 'sourceId'>): void {
    const d = this.deps;
    const { eventId, source } = m;
    const custom = d.customEventFor(m.eventTypeId);
    const name = custom?.name ?? d.eventTypeName(m.eventTypeId) ?? m.eventTypeId;
    const at = d.clock.now();
    // R11: the source is resolved to the SC entity the sync created for it (null when it has none).
    const sc = m.sourceType && m.sourceId ? d.scEntityOf(m.sourceType, m.sourceId) : undefined;
    const sourceEntity = sc ? { type: sc.type, id: sc.id, name: sc.name } : null;
    d.events.fire({ at, kind: 'custom', name, eventId, source, sourceEntity, role: d.roleName });
    // R11: matched by event type, whatever the capitalisation of its display name.
    const native = nativeEventFor(name);
    if (native) d.events.fire({ at, kind: 'native', name: native, eventId, source, sourceEntity, role: d.roleName });
    d.notify({ kind: 'event', name, native });
  }
}
