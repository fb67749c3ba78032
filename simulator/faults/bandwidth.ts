import { makeFault } from './fault.js';
import type { FaultDefinition } from './options.js';

/** A bandwidth cap: each write keeps the link busy for bytes / bytesPerSecond. */
export const bandwidth: FaultDefinition = {
  name: 'bandwidth',
  usage: 'bytesPerSecond=N',
  summary: 'cap the server-to-role stream at bytesPerSecond',
  define(spec, o) {
    const bps = o.number('bytesPerSecond', { def: 10_000, min: 1 });
    return makeFault(spec, `bandwidth ${bps} B/s`, () => ({
      occupy: (chunk) => (chunk.length / bps) * 1000,
    }));
  },
};
