import type { Scalar } from '../../protocol/sipassTypes.js';

/**
 * R14: the guide's cardholder property groups. A SiPass cardholder's fields land in SC grouped as
 * its definition, personal fields, vehicles and imaging; a SiPass custom field (written
 * `custom:<name>` on the wire) becomes an SC custom field named `<name>`, created automatically.
 */
export const DEFINITION_FIELDS = ['lastName', 'firstName', 'employeeNumber', 'startDate', 'endDate', 'status', 'void', 'visitor', 'workgroupId'] as const;
export const PERSONAL_FIELDS = ['title', 'dateOfBirth', 'address', 'phone', 'email'] as const;
/** Vehicle fields start with "vehicle" (vehicleRegistration, vehicleMake, ...); imaging ones are these. */
export const IMAGING_FIELDS = ['photo', 'signature', 'fingerprint'] as const;
export const CUSTOM_PREFIX = 'custom:';

export interface CardholderProperties {
  definition: Record<string, Scalar>;
  personal: Record<string, Scalar>;
  vehicles: Record<string, Scalar>;
  imaging: Record<string, Scalar>;
  /** SC custom fields by their SC name (the SiPass field's name). */
  custom: Record<string, Scalar>;
}

const has = (list: readonly string[], k: string): boolean => list.includes(k);

export function cardholderProperties(fields: Readonly<Record<string, Scalar>>): CardholderProperties {
  const out: CardholderProperties = { definition: {}, personal: {}, vehicles: {}, imaging: {}, custom: {} };
  for (const [k, v] of Object.entries(fields)) {
    if (k.startsWith(CUSTOM_PREFIX)) out.custom[k.slice(CUSTOM_PREFIX.length)] = v;
    else if (has(DEFINITION_FIELDS, k)) out.definition[k] = v;
    else if (has(PERSONAL_FIELDS, k)) out.personal[k] = v;
    else if (k.startsWith('vehicle')) out.vehicles[k] = v;
    else if (has(IMAGING_FIELDS, k) || k.startsWith('image')) out.imaging[k] = v;
  }
  return out;
}

/** Adds the SC custom fields a cardholder's SiPass fields call for (no allocation when it has none: the sync's hot path). */
export function addCustomFields(fields: Readonly<Record<string, Scalar>>, into: Set<string>): void {
  for (const k in fields) if (k.startsWith(CUSTOM_PREFIX)) into.add(k.slice(CUSTOM_PREFIX.length));
}
