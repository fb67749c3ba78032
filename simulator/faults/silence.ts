import { makeFault } from './fault.js';
import type { FaultDefinition } from './options.js';

/**
 * Half-open silence: after `afterFrames` more frames the server sends
 * nothing at all (no pong, no live message), the socket stays open. Only the
 * role's heartbeat can tell.
 */
export const silence: FaultDefinition = {
  name: 'silence',
  usage: 'afterFrames=N',
  summary: 'stop sending (no pongs, no live stream), keep the socket open',
  define(spec, o) {
    const afterFrames = o.number('afterFrames', { def: 0, integer: true });
    return makeFault(spec, `silence${afterFrames ? ` after ${afterFrames} frames` : ''}`, () => {
      let frames = 0;
      return {
        mute: () => frames >= afterFrames,
        written: (_c, item, last) => {
          if (last && item.msg) frames++;
        },
      };
    });
  },
};
