import { nativeEventFor } from '../plugin/securitycenter/nativeEvents.js';
import type { SiPassServer } from '../simulator/sipassServer.js';
import { nowAbs, type LiveSentReport } from './ipc.js';

/** Messages raised between two yields to the event loop (so acks are read). */
const CHUNK = 1000;

/**
 * Raises alarms and fires events, alternately, as fast as the role takes
 * them: end-to-end backpressure on the role's cumulative acks, never more
 * than `window` messages in flight. Event types whose names also fire a
 * native SC event are skipped, so one SiPass event is one SC event.
 */
export async function pumpLive(server: SiPassServer, count: number, window: number): Promise<LiveSentReport> {
  const alarmClasses = firstIds(server, 'alarmClasses', () => true);
  const eventTypes = firstIds(server, 'eventTypes', (name) => nativeEventFor(name) === null);
  if (alarmClasses.length === 0 || eventTypes.length === 0) throw new Error('the live stream needs an alarm class and a non-native event type in the site');
  const acked = (): number => server.stats().sessions.reduce((m, s) => Math.max(m, s.ackedSeq), 0);
  const startedAt = nowAbs();
  let sent = 0;
  let alarms = 0;
  let events = 0;
  while (sent < count) {
    if (server.currentSeq() - acked() > window) {
      await new Promise((r) => setTimeout(r, 1));
      continue;
    }
    const end = Math.min(count, sent + CHUNK);
    for (; sent < end; sent++) {
      if (sent % 2 === 0) {
        server.raiseAlarm(alarmClasses[alarms % alarmClasses.length] as string);
        alarms++;
      } else {
        server.fireEvent(eventTypes[events % eventTypes.length] as string, 'bench');
        events++;
      }
    }
    await new Promise((r) => setImmediate(r));
  }
  return { kind: 'liveSent', sent, alarms, events, startedAt, endedAt: nowAbs(), seq: server.currentSeq() };
}

function firstIds(server: SiPassServer, type: 'alarmClasses' | 'eventTypes', keep: (name: string) => boolean, max = 16): string[] {
  const out: string[] = [];
  for (const r of server.site.entities(type)) {
    if (keep(r.name)) out.push(r.id);
    if (out.length >= max) break;
  }
  return out;
}
