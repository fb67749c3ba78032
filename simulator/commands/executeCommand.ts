import type { CommandRequest } from '../../protocol/messages.js';
import type { Scalar, SiPassRecord, SiPassType } from '../../protocol/sipassTypes.js';

/** Which SiPass type each manual override acts on (R13). */
const TARGET: Record<CommandRequest['action'], SiPassType> = {
  allowAccess: 'doorsets',
  block: 'doorsets',
  unblock: 'doorsets',
  buzzer: 'doorsets',
  arm: 'areas',
  disarm: 'areas',
  pulse: 'units',
};

/**
 * R13, the SiPass side: what a manual override does to its entity's state, as field changes, or
 * why SiPass refuses it. A momentary unlock counts `unlocks` (the door relocks by itself); block
 * and unblock set `blocked`; the buzzer sounds on reader A or B (`buzzer`); arm/disarm set `armed`;
 * an output pulse sets `output<N>` to its pattern, a toggle flips it between on and off.
 */
export function executeCommand(m: CommandRequest, entity: SiPassRecord | undefined): { fields: Record<string, Scalar>; what: string } | { reason: string } {
  const type = TARGET[m.action];
  if (m.entityType !== type) return { reason: `${m.action} applies to ${type}, not ${m.entityType}` };
  if (!entity) return { reason: `${m.entityType} "${m.entityId}" does not exist in SiPass` };
  switch (m.action) {
    case 'allowAccess':
      return { fields: { unlocks: (typeof entity.unlocks === 'number' ? entity.unlocks : 0) + 1 }, what: 'allow access (momentary unlock)' };
    case 'block':
      return { fields: { blocked: true }, what: 'block' };
    case 'unblock':
      return { fields: { blocked: false }, what: 'unblock' };
    case 'buzzer': {
      const reader = m.reader ?? 'A';
      return { fields: { buzzer: reader }, what: `buzzer on reader ${reader}` };
    }
    case 'arm':
      return { fields: { armed: true }, what: 'arm' };
    case 'disarm':
      return { fields: { armed: false }, what: 'disarm' };
    case 'pulse': {
      if (!m.pattern) return { reason: 'an output pulse needs a pattern' };
      const output = m.output ?? 1;
      const key = `output${output}`;
      const value = m.pattern === 'toggle' ? (entity[key] === 'on' ? 'off' : 'on') : `pulse ${m.pattern}`;
      return { fields: { [key]: value }, what: `pulse ${m.pattern} on output ${output}` };
    }
  }
}
