import type { Scalar, SiPassType } from '../../protocol/sipassTypes.js';

/** Security Center entity types the plugin creates (R8). */
export const SC_TYPES = [
  'alarm',
  'cardholder',
  'credential',
  'cardholderGroup',
  'door',
  'elevator',
  'area',
  'intrusionArea',
  'accessControlUnit',
  'intrusionUnit',
  'customEvent',
] as const;

export type ScType = (typeof SC_TYPES)[number];

export const isScType = (v: unknown): v is ScType => (SC_TYPES as readonly unknown[]).includes(v);

export const SC_TYPE_LABEL: Record<ScType, string> = {
  alarm: 'Alarms',
  cardholder: 'Cardholders',
  credential: 'Credentials',
  cardholderGroup: 'Cardholder groups',
  door: 'Doors',
  elevator: 'Elevators',
  area: 'Areas',
  intrusionArea: 'Intrusion detection areas',
  accessControlUnit: 'Access control units',
  intrusionUnit: 'Intrusion detection units',
  customEvent: 'Custom events',
};

/**
 * One Security Center entity created by the plugin. `fields` is the SiPass
 * record it maps (shared, not copied: a million of them must fit).
 */
export interface ScEntity {
  readonly id: string;
  readonly type: ScType;
  name: string;
  readonly sipassType: SiPassType;
  readonly sipassId: string;
  fields: Readonly<Record<string, Scalar>>;
}

/** An alarm entity: R4 recipients and R5 partitions live on it. */
export interface AlarmEntity extends ScEntity {
  readonly type: 'alarm';
  priority: number;
  recipients: string[];
  partitions: string[];
  /** Which role created it; alarms created by operators are never touched by the plugin (R5). */
  readonly createdBy: string | null;
}
