import type { RoleSnapshot } from '../../plugin/pluginRole.js';
import type { Rect } from '../dashboardLayout.js';
import { pack, wrapLines } from '../format.js';
import { statePane } from '../viewModel.js';
import { borderedBox, esc, innerWidth, placeElement, WHEEL_SCROLLABLE, type Box, type Screen } from './paneBox.js';

const LABEL = 'Role state';

/** The role's state machine (current state highlighted in its health colour), last error, retries. */
export class RoleStateBox {
  readonly el: Box;

  constructor(screen: Screen) {
    this.el = borderedBox(screen, LABEL, WHEEL_SCROLLABLE);
  }

  place(r: Rect): void {
    placeElement(this.el, r, LABEL);
  }

  show(snap: RoleSnapshot, now: number): void {
    const w = innerWidth(this.el);
    const sp = statePane(snap, now);
    const colour = snap.health === 'ok' ? 'green' : snap.health === 'warning' ? 'yellow' : 'red';
    const machine = pack(sp.states, (s) => s.name.length + (s.current ? 2 : 0), 3, w).map((line) =>
      line.map((s) => (s.current ? `{${colour}-bg}{black-fg}{bold}[${s.name}]{/}` : `{gray-fg}${s.name}{/}`)).join(' > '),
    );
    this.el.setContent([...machine, ...wrapLines(sp.lines, w).map(esc)].join('\n'));
  }
}
