import { SIPASS_TYPES, type SiPassType } from '../protocol/sipassTypes.js';
import type { PopulationSpec } from '../simulator/populationSpec.js';

/** Share of a site per SiPass type; cardholders take whatever the others leave. */
export const MIX: Readonly<Record<SiPassType, number>> = {
  cardholders: 0.6,
  credentials: 0.2,
  doorsets: 0.08,
  units: 0.04,
  workgroups: 0.01,
  areas: 0.02,
  apbAreas: 0.02,
  banks: 0.005,
  alarmClasses: 0.005,
  eventTypes: 0.005,
};

/** Alarm classes and event types stay a catalogue, not a population. */
export const CATALOGUE_CAP = 2000;

/** The smallest site the mix can fill with at least one entity of every type. */
export const MIN_SIZE = 100;

/**
 * A realistic site of exactly `size` entities: every type present, the
 * catalogues capped, the rounding remainder given to cardholders.
 */
export function mixFor(size: number): Record<SiPassType, number> {
  if (!Number.isInteger(size) || size < MIN_SIZE) throw new RangeError(`a bench site needs at least ${MIN_SIZE} entities, got ${size}`);
  const out = {} as Record<SiPassType, number>;
  let others = 0;
  for (const type of SIPASS_TYPES) {
    if (type === 'cardholders') continue;
    let n = Math.max(1, Math.floor(size * MIX[type]));
    if (type === 'alarmClasses' || type === 'eventTypes') n = Math.min(n, CATALOGUE_CAP);
    out[type] = n;
    others += n;
  }
  out.cardholders = size - others;
  return out;
}

export function populationFor(size: number, seed = 1): PopulationSpec {
  return { seed, name: `bench-${size}`, ...mixFor(size) };
}
