import blessed from 'blessed';
import type { EntityBrowserNode } from '../../plugin/securitycenter/securityCenter.js';
import type { Rect } from '../dashboardLayout.js';
import type { EntitySampler } from '../entitySampler.js';
import { browserItems, type BrowserItem } from '../viewModel.js';
import { esc, innerWidth, placeElement, type Screen } from './paneBox.js';

const LABEL = 'Entity browser (Enter/click: expand)';

/** The role's entities per SC type with their counts; Enter or a click expands a type to its first entities. */
export class EntityBrowserBox {
  readonly el: blessed.Widgets.ListElement;
  private items: BrowserItem[] = [];
  private readonly expanded = new Set<string>();

  constructor(
    screen: Screen,
    private readonly sampler: EntitySampler,
    onChange: () => void,
  ) {
    this.el = blessed.list({
      parent: screen,
      label: ` ${LABEL} `,
      border: 'line',
      keys: true,
      mouse: true,
      scrollbar: { ch: ' ', style: { bg: 'cyan' } },
      style: { border: { fg: 'cyan' }, selected: { inverse: true } },
    });
    this.el.on('select', (_el: unknown, index: number) => {
      const item = this.items[index];
      if (!item?.expandable) return;
      if (this.expanded.has(item.key)) this.expanded.delete(item.key);
      else this.expanded.add(item.key);
      this.sampler.forget(item.key);
      onChange();
    });
  }

  place(r: Rect): void {
    placeElement(this.el, r, LABEL);
  }

  show(nodes: readonly EntityBrowserNode[]): void {
    const selected = (this.el as unknown as { selected: number }).selected ?? 0;
    this.items = browserItems(nodes, this.expanded, this.sampler.entitiesOf, 20, innerWidth(this.el, true));
    this.el.setItems(this.items.map((i) => esc(i.text)));
    this.el.select(Math.min(selected, this.items.length - 1));
  }
}
