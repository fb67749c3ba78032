import type { TimerHandle } from '../../core/clock.js';
import { isLive, makeFault, type OutItem } from './fault.js';
import type { FaultDefinition } from './options.js';

/**
 * Live-stream disorder: each live message is sent twice with probability
 * `duplicate`, or held back and sent after the next one with probability
 * `reorder` (a held message goes anyway after holdMs). Other frames pass.
 */
export const disorder: FaultDefinition = {
  name: 'disorder',
  usage: 'duplicate=P,reorder=P,holdMs=N',
  summary: 'duplicate and swap live messages (sequence numbers repeat or go backwards)',
  define(spec, o) {
    const duplicate = o.probability('duplicate', 0);
    const reorder = o.probability('reorder', 0);
    const holdMs = o.number('holdMs', { def: 1000, duration: true });
    return makeFault(spec, `disorder dup ${duplicate} reorder ${reorder}`, (conn) => {
      let held: OutItem | undefined;
      let timer: TimerHandle | undefined;
      const release = (): OutItem[] => {
        if (timer !== undefined) conn.clock.clearTimeout(timer);
        timer = undefined;
        const h = held;
        held = undefined;
        return h ? [h] : [];
      };
      return {
        message(item) {
          if (!isLive(item.msg)) return [item];
          if (held) return [item, ...release()];
          const r = conn.random.next();
          if (r < reorder) {
            held = item;
            timer = conn.clock.setTimeout(() => conn.inject(release()), holdMs);
            return [];
          }
          if (r < reorder + duplicate) return [item, item];
          return [item];
        },
        detached() {
          conn.inject(release());
        },
      };
    });
  },
};
