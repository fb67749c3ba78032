/**
 * The SiPass entity types the proxy service exposes (R8). The keys are the
 * ones QA files use under `population:`, so they are part of the contract.
 */
export const SIPASS_TYPES = [
  'alarmClasses',
  'cardholders',
  'credentials',
  'workgroups',
  'doorsets',
  'banks',
  'apbAreas',
  'areas',
  'units',
  'eventTypes',
] as const;

export type SiPassType = (typeof SIPASS_TYPES)[number];

export const isSiPassType = (v: unknown): v is SiPassType => (SIPASS_TYPES as readonly unknown[]).includes(v);

export type Scalar = string | number | boolean | null;

/**
 * One SiPass entity as it travels on the wire: an id unique within its type,
 * a display name, and flat scalar fields. Fields per type (all optional on the
 * wire, defaults shown in docs/protocol.md):
 * - alarmClasses: priority (1..255)
 * - cardholders: firstName, lastName, workgroupId
 * - credentials: cardholderId, ordinal (1 = the cardholder's first), cardNumber
 * - workgroups: visitor (boolean)
 * - doorsets: readerA, readerB, lock
 * - banks: floors
 * - apbAreas: cluster
 * - areas: armed
 * - units: address
 * - eventTypes: category
 */
export interface SiPassRecord {
  id: string;
  name: string;
  [field: string]: Scalar;
}
