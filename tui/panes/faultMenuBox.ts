import blessed from 'blessed';
import { menuLines, type MenuItem } from '../viewModel.js';
import { esc, type Screen } from './paneBox.js';

/** The fault menu: a letter or two clicks picks an item (disabled ones say why). */
export class FaultMenuBox {
  readonly el: blessed.Widgets.ListElement;
  private items: MenuItem[] = [];

  constructor(
    private readonly screen: Screen,
    onChoose: (item: MenuItem | undefined) => void,
  ) {
    this.el = blessed.list({
      parent: screen,
      hidden: true,
      label: ' Faults (letter or click twice, Esc closes) ',
      border: 'line',
      keys: true,
      mouse: true,
      top: 'center',
      left: 'center',
      style: { border: { fg: 'yellow' }, selected: { inverse: true } },
    });
    this.el.on('select', (_el: unknown, index: number) => onChoose(this.items[index]));
  }

  open(items: MenuItem[]): void {
    this.items = items;
    this.el.width = Math.min((this.screen.width as number) - 2, 80);
    this.el.setItems(menuLines(items).map(esc));
    this.el.height = items.length + 2;
    this.el.select(0);
    this.el.show();
    this.el.setFront();
    this.el.focus();
  }

  /** The item bound to a letter, if any. */
  byKey(key: string): MenuItem | undefined {
    return this.items.find((m) => m.key === key);
  }

  close(): void {
    this.el.hide();
  }
}
