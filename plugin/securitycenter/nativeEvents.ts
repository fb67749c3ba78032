/**
 * R11: the guide's table of SiPass events that also raise a native Security Center event, by
 * SiPass event type in the guide's spelling.
 */
export const NATIVE_EVENT_TABLE: ReadonlyArray<readonly [sipassEvent: string, nativeEvent: string]> = [
  ['Badge Collision', 'Access denied'],
  ['Access Not Granted', 'Access denied'],
  ['Card Expired', 'Access denied'],
  ['Bad Daily Code', 'Access denied'],
  ['Card At Disabled', 'Access denied'],
  ['Access To AP Area', 'Access granted'],
  ['Daily Code', 'Access granted'],
  ['AC Power Failed', 'AC fail'],
  ['APB Area Count Reset', 'People count reset'],
  ['Battery Failed', 'Battery fail'],
  ['Battery Low', 'Battery fail (low battery)'],
  ['Communication Lost', 'Unit lost'],
  ['Communication Restored', 'Unit connected'],
];

/**
 * The event type a display name denotes: the mapping is by type whatever the capitalisation (and
 * spacing) of the name ("Badge Collision" and "Badge collision" are one type).
 */
export function eventTypeKey(displayName: string): string {
  return displayName.trim().replace(/\s+/g, ' ').toLowerCase();
}

const BY_KEY = new Map(NATIVE_EVENT_TABLE.map(([sipass, native]) => [eventTypeKey(sipass), native]));

/** Answers by display name: a site has a catalogue of event types, and the live stream fires them a million times. */
const byName = new Map<string, string | null>();
const BY_NAME_MAX = 4096;

/** The native SC event a SiPass event raises besides its custom event, or null. */
export function nativeEventFor(sipassEventName: string): string | null {
  let native = byName.get(sipassEventName);
  if (native === undefined) {
    native = BY_KEY.get(eventTypeKey(sipassEventName)) ?? null;
    if (byName.size >= BY_NAME_MAX) byName.clear();
    byName.set(sipassEventName, native);
  }
  return native;
}

/** Every native SC event name the table can raise (each once). */
export const NATIVE_EVENT_NAMES: readonly string[] = [...new Set(NATIVE_EVENT_TABLE.map(([, native]) => native))];
