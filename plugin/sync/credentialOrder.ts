import type { SiPassRecord } from '../../protocol/sipassTypes.js';

/**
 * R14 "first credential" is the cardholder's first credential in SiPass's order: SiPass lists a
 * cardholder's credentials by `ordinal` (a missing one counts as 1), ties by credential id. When
 * the first is deleted, the next becomes the first.
 */
export function holderOf(r: SiPassRecord): string {
  return typeof r.cardholderId === 'string' ? r.cardholderId : '';
}

/** Negative when `a` comes before `b` in SiPass's order. */
export function compareCredentials(a: SiPassRecord, b: SiPassRecord): number {
  const oa = typeof a.ordinal === 'number' ? a.ordinal : 1;
  const ob = typeof b.ordinal === 'number' ? b.ordinal : 1;
  if (oa !== ob) return oa - ob;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
