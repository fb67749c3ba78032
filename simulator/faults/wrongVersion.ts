import { encodeMessage } from '../../protocol/encodeMessage.js';
import { makeFault } from './fault.js';
import type { FaultDefinition } from './options.js';

/** The welcome announces protocol version v + delta: the role reports PROTO_VERSION_MISMATCH. */
export const wrongVersion: FaultDefinition = {
  name: 'wrongVersion',
  usage: 'delta=N',
  summary: 'answer hello with a welcome of another protocol version (role: PROTO_VERSION_MISMATCH)',
  define(spec, o) {
    const delta = o.number('delta', { def: 1, min: -1000, max: 1000, integer: true });
    if (delta === 0) o.problems.push('wrongVersion.delta must not be 0');
    return makeFault(spec, `welcome with protocol version ${delta > 0 ? '+' : ''}${delta}`, () => ({
      message(item) {
        if (item.msg?.t !== 'welcome') return [item];
        const msg = { ...item.msg, v: item.msg.v + delta };
        return [{ bytes: encodeMessage(msg), msg }];
      },
    }));
  },
};
