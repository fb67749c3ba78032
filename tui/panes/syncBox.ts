import type { RoleSnapshot } from '../../plugin/pluginRole.js';
import { fitLabel, type Rect } from '../dashboardLayout.js';
import { wrapLines } from '../format.js';
import { syncPane } from '../viewModel.js';
import { borderedBox, innerWidth, placeElement, SCROLLABLE, setLines, type Box, type Screen } from './paneBox.js';

/** Sync progress per SiPass type (rows sized to the pane, never clipped; the pane scrolls) and the last sync. */
export class SyncBox {
  readonly el: Box;

  constructor(screen: Screen) {
    this.el = borderedBox(screen, 'Sync', SCROLLABLE);
  }

  place(r: Rect): void {
    placeElement(this.el, r, 'Sync');
  }

  show(snap: RoleSnapshot): void {
    const w = innerWidth(this.el, true);
    const sync = syncPane(snap, 10, w);
    this.el.setLabel(fitLabel(sync.title, this.el.width as number));
    setLines(this.el, wrapLines([...sync.summary, ...sync.rows.map((r) => r.text)], w));
  }
}
