import type { SiPassRecord, SiPassType } from '../protocol/sipassTypes.js';

/**
 * The SiPass site as a scenario writes it (`population:`): per type either a
 * count of seeded generated entities or a list of explicit ones.
 */
export type PopulationSpec = { seed?: number; name?: string } & Partial<Record<SiPassType, number | SiPassRecord[]>>;
