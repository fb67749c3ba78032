import blessed from 'blessed';
import { esc, type Screen } from './paneBox.js';

/** The centred box for the help screen, the Properties form and the server-port prompt. */
export class OverlayBox {
  readonly el: blessed.Widgets.BoxElement;

  constructor(private readonly screen: Screen) {
    this.el = blessed.box({ parent: screen, hidden: true, border: 'line', tags: true, top: 'center', left: 'center', style: { border: { fg: 'yellow' } } });
  }

  fit(maxWidth: number, height: number): void {
    this.el.width = Math.min((this.screen.width as number) - 2, maxWidth);
    this.el.height = Math.min((this.screen.height as number) - 2, height);
  }

  open(label: string, lines: readonly string[], height?: number): void {
    this.el.setLabel(` ${label} `);
    this.setLines(lines);
    if (height !== undefined) this.el.height = Math.min((this.screen.height as number) - 2, height);
    this.el.show();
    this.el.setFront();
    this.el.focus();
  }

  setLines(lines: readonly string[]): void {
    this.el.setContent(lines.map(esc).join('\n'));
  }

  close(): void {
    this.el.hide();
  }
}
