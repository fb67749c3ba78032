import type { PluginConfig } from '../../plugin/config/pluginConfig.js';
import type { Rect } from '../dashboardLayout.js';
import { wrapLines } from '../format.js';
import { propertiesLines } from '../viewModel.js';
import { borderedBox, innerWidth, placeElement, WHEEL_SCROLLABLE, setLines, type Box, type Screen } from './paneBox.js';

const LABEL = 'Properties (p: edit)';

/** The applied Properties tab; a click opens the form (as `p` does). */
export class PropertiesBox {
  readonly el: Box;

  constructor(screen: Screen, onClick: () => void) {
    this.el = borderedBox(screen, LABEL, { ...WHEEL_SCROLLABLE, clickable: true });
    this.el.on('click', onClick);
  }

  place(r: Rect): void {
    placeElement(this.el, r, LABEL);
  }

  show(config: PluginConfig | null): void {
    const w = innerWidth(this.el);
    // Host and Port stay whole (shorter labels first); a long list wraps under its label.
    setLines(this.el, wrapLines(propertiesLines(config, w), w, '    '));
  }
}
