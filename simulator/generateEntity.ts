import { hash32, pick } from '../core/random.js';
import type { SiPassRecord, SiPassType } from '../protocol/sipassTypes.js';

const FIRST = ['Anna', 'Ben', 'Chloe', 'David', 'Emma', 'Felix', 'Grace', 'Hugo', 'Iris', 'Jonas', 'Klara', 'Leo', 'Mia', 'Noah', 'Olga', 'Paul', 'Rosa', 'Sami', 'Tara', 'Uwe'];
const LAST = ['Adler', 'Bauer', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Huber', 'Ivanova', 'Jansen', 'Keller', 'Lopez', 'Meyer', 'Novak', 'Olsen', 'Petit', 'Rossi', 'Schmid', 'Tanaka', 'Weber'];
const ALARMS = ['Door forced open', 'Door held open', 'Tamper', 'Duress', 'Invalid card burst', 'Line fault', 'AC power failed', 'Battery low', 'Intrusion', 'Fire input'];
const EVENTS = ['Access granted', 'Access denied', 'Badge collision', 'Communication lost', 'Communication restored', 'AC power failed', 'Door opened', 'Door closed', 'Area armed', 'Area disarmed', 'Tamper restored', 'PIN error'];
const PLACES = ['Lobby', 'Lab', 'Dock', 'Server room', 'Office', 'Stairwell', 'Garage', 'Roof', 'Archive', 'Canteen'];

/** Id prefixes per type: ids are `<prefix>-<n>` with n from 1. */
export const ID_PREFIX: Record<SiPassType, string> = {
  alarmClasses: 'AC',
  cardholders: 'CH',
  credentials: 'CR',
  workgroups: 'WG',
  doorsets: 'DS',
  banks: 'BK',
  apbAreas: 'AP',
  areas: 'AR',
  units: 'UN',
  eventTypes: 'ET',
};

export const TYPE_SALT: Record<SiPassType, number> = {
  alarmClasses: 1,
  cardholders: 2,
  credentials: 3,
  workgroups: 4,
  doorsets: 5,
  banks: 6,
  apbAreas: 7,
  areas: 8,
  units: 9,
  eventTypes: 10,
};

export const generatedId = (type: SiPassType, index: number): string => `${ID_PREFIX[type]}-${index + 1}`;

/** Inverse of generatedId: the index, or -1 when `id` is not a generated id of `type`. */
export function generatedIndex(type: SiPassType, id: string): number {
  const prefix = `${ID_PREFIX[type]}-`;
  if (!id.startsWith(prefix)) return -1;
  const digits = id.slice(prefix.length);
  if (!/^[1-9]\d*$/.test(digits)) return -1;
  return Number(digits) - 1;
}

/** The counts other types refer to (a cardholder's workgroup, a credential's cardholder). */
export interface GenerationContext {
  seed: number;
  cardholders: number;
  workgroups: number;
}

/**
 * Entity #index of `type` for a seed: a pure function, so the server can
 * stream a million entities without holding them, and the same seed gives
 * the same site.
 */
export function generateEntity(type: SiPassType, index: number, ctx: GenerationContext): SiPassRecord {
  const id = generatedId(type, index);
  const h = (k: number): number => hash32(ctx.seed, TYPE_SALT[type], index, k);
  switch (type) {
    case 'alarmClasses':
      return { id, name: `${pick(ALARMS, ctx.seed, 1, index)} ${index + 1}`, priority: 1 + (h(1) % 255) };
    case 'cardholders': {
      const firstName = pick(FIRST, ctx.seed, 2, index, 1);
      const lastName = pick(LAST, ctx.seed, 2, index, 2);
      return {
        id,
        name: `${firstName} ${lastName} ${index + 1}`,
        firstName,
        lastName,
        workgroupId: ctx.workgroups > 0 ? generatedId('workgroups', h(3) % ctx.workgroups) : null,
      };
    }
    case 'credentials': {
      // Credentials are dealt to cardholders round-robin: ordinal 1 is a cardholder's first credential (R8).
      const holders = Math.max(1, ctx.cardholders);
      return {
        id,
        name: `Card ${(h(1) % 90000) + 10000}-${index + 1}`,
        cardholderId: ctx.cardholders > 0 ? generatedId('cardholders', index % holders) : null,
        ordinal: Math.floor(index / holders) + 1,
        cardNumber: (h(2) % 9000000) + 1000000,
      };
    }
    case 'workgroups':
      // One workgroup in four is a visitor workgroup (only those map to SC, R8).
      return { id, name: `${index % 4 === 0 ? 'Visitors' : 'Staff'} ${index + 1}`, visitor: index % 4 === 0 };
    case 'doorsets':
      return {
        id,
        name: `${pick(PLACES, ctx.seed, 5, index)} door ${index + 1}`,
        readerA: `RD-${index * 2 + 1}`,
        readerB: `RD-${index * 2 + 2}`,
        lock: h(1) % 2 === 0 ? 'strike' : 'maglock',
      };
    case 'banks':
      return { id, name: `Elevator bank ${index + 1}`, floors: 2 + (h(1) % 40) };
    case 'apbAreas':
      return { id, name: `APB area ${index + 1}`, cluster: `APB cluster ${(index % 8) + 1}` };
    case 'areas':
      return { id, name: `${pick(PLACES, ctx.seed, 8, index)} zone ${index + 1}`, armed: h(1) % 3 === 0 };
    case 'units':
      return { id, name: `ACC ${index + 1}`, address: `FLN-${(index % 64) + 1}.${Math.floor(index / 64) + 1}` };
    case 'eventTypes':
      // The first event types carry the names R11 maps to native SC events.
      return { id, name: index < EVENTS.length ? (EVENTS[index] ?? 'Event') : `Event type ${index + 1}`, category: pick(['access', 'system', 'intrusion'], ctx.seed, 10, index) };
  }
}
