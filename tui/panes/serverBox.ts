import type { ServerStats } from '../../simulator/sipassServer.js';
import type { Rect } from '../dashboardLayout.js';
import { wrapLines } from '../format.js';
import { serverLines, type DiagnosticPorts } from '../viewModel.js';
import { borderedBox, innerWidth, placeElement, WHEEL_SCROLLABLE, setLines, type Box, type Screen } from './paneBox.js';

/** The in-process server (or a note that the dashboard is attached to another one): address, faults, frames, R15 diagnostic ports. */
export class ServerBox {
  readonly el: Box;

  constructor(
    screen: Screen,
    private readonly label: string,
  ) {
    this.el = borderedBox(screen, label, WHEEL_SCROLLABLE);
  }

  place(r: Rect): void {
    placeElement(this.el, r, this.label);
  }

  show(stats: ServerStats | null, fps: number, slowRate: number | null, ports?: Partial<DiagnosticPorts>): void {
    const w = innerWidth(this.el);
    setLines(this.el, wrapLines(serverLines(stats, fps, slowRate, w, ports), w));
  }
}
