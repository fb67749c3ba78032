import type { SiPassRecord, SiPassType } from '../../protocol/sipassTypes.js';
import type { ScType } from './scTypes.js';

export interface MappingOptions {
  credentialSync: boolean;
}

/**
 * R8: which Security Center entities one SiPass entity becomes. A unit is
 * two SC entities; credentials map only when credential sync is on (and then
 * only a cardholder's first, which SyncedEntities decides: it needs the
 * siblings); only visitor workgroups become cardholder groups.
 */
export function mapToScTypes(type: SiPassType, r: SiPassRecord, o: MappingOptions): readonly ScType[] {
  switch (type) {
    case 'alarmClasses':
      return ALARM;
    case 'cardholders':
      return CARDHOLDER;
    case 'credentials':
      // R14: and only the cardholder's first in SiPass's order (decided by plugin/sync/credentialOrder.ts).
      return o.credentialSync ? CREDENTIAL : NONE;
    case 'workgroups':
      return r.visitor === true ? GROUP : NONE;
    case 'doorsets':
      return DOOR;
    case 'banks':
      return ELEVATOR;
    case 'apbAreas':
      return AREA;
    case 'areas':
      return INTRUSION_AREA;
    case 'units':
      return UNIT;
    case 'eventTypes':
      return CUSTOM_EVENT;
  }
}

const NONE: readonly ScType[] = [];
const ALARM: readonly ScType[] = ['alarm'];
const CARDHOLDER: readonly ScType[] = ['cardholder'];
const CREDENTIAL: readonly ScType[] = ['credential'];
const GROUP: readonly ScType[] = ['cardholderGroup'];
const DOOR: readonly ScType[] = ['door'];
const ELEVATOR: readonly ScType[] = ['elevator'];
const AREA: readonly ScType[] = ['area'];
const INTRUSION_AREA: readonly ScType[] = ['intrusionArea'];
const UNIT: readonly ScType[] = ['accessControlUnit', 'intrusionUnit'];
const CUSTOM_EVENT: readonly ScType[] = ['customEvent'];
