import type { SiPassRecord, SiPassType } from '../../protocol/sipassTypes.js';
import type { ScType } from './scTypes.js';

export interface MappingOptions {
  credentialSync: boolean;
}

/**
 * R8: which Security Center entities one SiPass entity becomes. A unit is
 * two SC entities; only a cardholder's first credential maps, and only when
 * credential sync is on; only visitor workgroups become cardholder groups.
 */
export function mapToScTypes(type: SiPassType, r: SiPassRecord, o: MappingOptions): readonly ScType[] {
  switch (type) {
    case 'alarmClasses':
      return ALARM;
    case 'cardholders':
      return CARDHOLDER;
    case 'credentials':
      return o.credentialSync && (r.ordinal === undefined || r.ordinal === 1) ? CREDENTIAL : NONE;
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

/** R11: SiPass events that also raise a native Security Center event. */
export const NATIVE_EVENTS: Readonly<Record<string, string>> = {
  'Badge collision': 'Access denied',
  'Communication lost': 'Unit lost',
  'Communication restored': 'Unit connected',
  'AC power failed': 'AC fail',
};
