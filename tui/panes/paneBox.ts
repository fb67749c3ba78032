/**
 * What every dashboard pane shares: a bordered blessed box, placed on a Rect
 * with a label that fits its border, and its inner size. blessed stays behind
 * tui/panes/ and tui/dashboard.ts: nothing else in the project imports it.
 */
import blessed from 'blessed';
import { fitLabel, type Rect } from '../dashboardLayout.js';

export type Screen = blessed.Widgets.Screen;
export type Element = blessed.Widgets.BlessedElement;
export type Box = blessed.Widgets.BoxElement;

export const esc = (s: string): string => blessed.escape(s);

/** Scrollable with the mouse wheel: a narrow pane wraps its lines instead of clipping them, and what does not fit scrolls. */
export const SCROLLABLE: blessed.Widgets.BoxOptions = { scrollable: true, alwaysScroll: true, mouse: true, keys: true, scrollbar: { ch: ' ', style: { bg: 'cyan' } } };

/** The top row's small panes scroll with the wheel too, without a scrollbar: their every column is text (an address stays whole at 80x24). */
export const WHEEL_SCROLLABLE: blessed.Widgets.BoxOptions = { scrollable: true, alwaysScroll: true, mouse: true };

export function borderedBox(screen: Screen, label: string, extra: blessed.Widgets.BoxOptions = {}): Box {
  return blessed.box({ parent: screen, label: ` ${label} `, border: 'line', tags: true, style: { border: { fg: 'cyan' } }, ...extra });
}

/** Moves `el` onto `r`; a border label is refitted to the new width. */
export function placeElement(el: Element, r: Rect, label?: string): void {
  el.top = r.top;
  el.left = r.left;
  el.width = r.width;
  el.height = r.height;
  if (label !== undefined) el.setLabel(fitLabel(label, r.width));
}

/** Text columns inside the border, less one for a scrollbar when the pane scrolls. */
export function innerWidth(el: Element, scrollbar = false): number {
  return Math.max(1, (el.width as number) - 2 - (scrollbar ? 1 : 0));
}

export function innerHeight(el: Element): number {
  return Math.max(1, (el.height as number) - 2);
}

/** A pane's content: escaped lines, the view keeps its scroll position. */
export function setLines(el: Box, lines: readonly string[]): void {
  el.setContent(lines.map(esc).join('\n'));
}
