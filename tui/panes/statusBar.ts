import blessed from 'blessed';
import type { Rect } from '../dashboardLayout.js';
import { clip } from '../format.js';
import { esc, placeElement, type Screen } from './paneBox.js';

const FULL = [
  ['?', 'help'],
  ['q', 'quit'],
  ['p', 'properties'],
  ['s', 'sync'],
  ['a/k/c', 'alarm'],
  ['e', 'event'],
  ['f', 'faults'],
  ['o', 'port'],
  ['R', 'record'],
] as const;
const SHORT = FULL.slice(0, 2);

/** The last line: the main keys (all of them when there is room), a recording mark, and the last action's outcome. */
export class StatusBar {
  readonly el: blessed.Widgets.BoxElement;

  constructor(screen: Screen) {
    this.el = blessed.box({ parent: screen, height: 1, tags: true, style: { inverse: true } });
  }

  place(r: Rect): void {
    placeElement(this.el, r);
  }

  show(status: string, recording: string | null): void {
    const cols = this.el.width as number;
    const rec = recording ? `{red-fg}{bold}${esc(recording)}{/}  ` : '';
    const hint = (keys: ReadonlyArray<readonly [string, string]>): string => keys.map(([k, w]) => `{bold}${k}{/bold} ${w}`).join('  ');
    const plain = (keys: ReadonlyArray<readonly [string, string]>): number => keys.map(([k, w]) => `${k} ${w}`).join('  ').length;
    // At 80 columns the whole key list would leave no room for the status: `?` lists every key anyway.
    const keys = cols - plain(FULL) - (recording?.length ?? 0) >= 24 ? FULL : SHORT;
    const room = Math.max(0, cols - plain(keys) - 4 - (recording ? recording.length + 2 : 0));
    this.el.setContent(`${rec}${hint(keys)}  | ${esc(clip(status, room))}`);
  }
}
