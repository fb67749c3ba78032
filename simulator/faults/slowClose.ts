import { makeFault } from './fault.js';
import type { FaultDefinition } from './options.js';

/** The server's close (FIN) goes out only ms after it decided to close. */
export const slowClose: FaultDefinition = {
  name: 'slowClose',
  usage: 'ms=N',
  summary: 'delay the socket close by ms after the server closes a connection',
  define(spec, o) {
    const ms = o.number('ms', { def: 1000, duration: true });
    return makeFault(spec, `slow close ${ms}ms`, () => ({ closeDelay: () => ms }));
  },
};
