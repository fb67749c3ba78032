import { makeFault } from './fault.js';
import type { FaultDefinition } from './options.js';

/** Latency with jitter: every write is held ms ± jitterMs (seeded), order kept. */
export const latency: FaultDefinition = {
  name: 'latency',
  usage: 'ms=N,jitterMs=N',
  summary: 'hold every frame ms ± jitterMs before it goes (order kept)',
  define(spec, o) {
    const ms = o.number('ms', { def: 100, duration: true });
    const jitterMs = o.number('jitterMs', { def: 0, duration: true });
    return makeFault(spec, `latency ${ms}ms${jitterMs ? ` ±${jitterMs}ms` : ''}`, (conn) => ({
      delay: () => Math.max(0, ms + (conn.random.next() * 2 - 1) * jitterMs),
    }));
  },
};
