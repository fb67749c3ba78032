import type { Rect } from '../dashboardLayout.js';
import { wrap } from '../format.js';
import { logLine, type LogEntry } from '../viewModel.js';
import { borderedBox, esc, innerHeight, innerWidth, placeElement, SCROLLABLE, type Box, type Screen } from './paneBox.js';

const LABEL = 'Event log (wheel / PgUp PgDn)';
/** Continuation lines start under the text, past "12:34:56.789 kind   ". */
const HANGING = ' '.repeat(4);

/**
 * The activity feed, newest last. Long lines wrap (a log line is read whole);
 * the pane follows the newest entry until the user scrolls up, and again once
 * scrolled back to the bottom.
 */
export class EventLogBox {
  readonly el: Box;
  private follow = true;

  constructor(screen: Screen, onChange: () => void) {
    this.el = borderedBox(screen, LABEL, { ...SCROLLABLE, keys: true });
    this.el.on('wheelup', () => {
      this.follow = false;
      onChange();
    });
    this.el.on('wheeldown', () => {
      this.follow = this.el.getScrollPerc() >= 100;
      onChange();
    });
  }

  place(r: Rect): void {
    placeElement(this.el, r, LABEL);
  }

  /** PgUp (-1) / PgDn (+1): a page less two lines of context. */
  page(direction: -1 | 1): void {
    this.el.scroll(direction * Math.max(1, innerHeight(this.el) - 1));
    this.follow = this.el.getScrollPerc() >= 100;
  }

  show(entries: readonly LogEntry[]): void {
    const w = innerWidth(this.el, true);
    const lines = entries.flatMap((e) => {
      const colour = e.kind === 'error' ? 'red-fg' : e.kind === 'state' ? 'cyan-fg' : null;
      return wrap(logLine(e), w, HANGING).map((l) => (colour ? `{${colour}}${esc(l)}{/}` : esc(l)));
    });
    this.el.setContent(lines.join('\n'));
    if (this.follow) this.el.setScrollPerc(100);
  }
}
