import { clip } from './format.js';

/** A pane's place on the screen, in cells (borders included). */
export interface Rect {
  top: number;
  left: number;
  width: number;
  height: number;
}

export interface DashboardLayout {
  state: Rect;
  properties: Rect;
  /** Null when the dashboard is attached to another process's server. */
  server: Rect | null;
  sync: Rect;
  browser: Rect;
  alarms: Rect;
  log: Rect;
  status: Rect;
}

/** Top row height: the state machine, the Properties tab and the server, 6 lines each inside borders. */
const TOP = 8;
/**
 * Narrowest Properties and server panes (borders included): at 80 columns
 * "Host:       127.0.0.1" and "Listening: 127.0.0.1:65535" must stay whole.
 */
export const MIN_PROPERTIES_WIDTH = 24;
export const MIN_SERVER_WIDTH = 28;

/**
 * Where each pane goes on a cols x rows terminal: three panes on top, sync
 * and the entity browser in the middle, alarms and the event log below, the
 * key bar on the last line. Panes tile the screen: none overlaps another.
 */
export function dashboardLayout(cols: number, rows: number, withServer: boolean): DashboardLayout {
  const rest = Math.max(8, rows - TOP - 1);
  const middle = Math.min(14, Math.max(6, Math.floor(rest / 2)));
  const bottom = rest - middle;
  const propsW = withServer ? Math.max(MIN_PROPERTIES_WIDTH, Math.floor(cols * 0.31)) : Math.max(MIN_PROPERTIES_WIDTH, cols - Math.floor(cols * 0.5));
  const serverW = withServer ? Math.max(MIN_SERVER_WIDTH, Math.floor(cols * 0.31)) : 0;
  const stateW = Math.max(1, cols - propsW - serverW);
  const half = Math.floor(cols / 2);
  const alarmsW = Math.floor(cols * 0.6);
  const rect = (top: number, left: number, width: number, height: number): Rect => ({ top, left, width: Math.max(1, width), height: Math.max(1, height) });
  return {
    state: rect(0, 0, stateW, TOP),
    properties: rect(0, stateW, propsW, TOP),
    server: withServer ? rect(0, stateW + propsW, serverW, TOP) : null,
    sync: rect(TOP, 0, half, middle),
    browser: rect(TOP, half, cols - half, middle),
    alarms: rect(TOP + middle, 0, alarmsW, bottom),
    log: rect(TOP + middle, alarmsW, cols - alarmsW, bottom),
    status: rect(rows - 1, 0, cols, 1),
  };
}

/**
 * A border label that fits its pane: blessed wraps a label longer than the
 * top border into the pane's first line (it overwrote the Host row at 80x24),
 * so it is clipped to what blessed leaves between the corners (the label starts
 * two cells in; a space each side).
 */
export function fitLabel(text: string, paneWidth: number): string {
  const room = Math.max(1, paneWidth - 7);
  // A hint in parentheses ("(p: edit)") gives way first: `?` lists every key anyway.
  const bare = text.replace(/ \([^)]*\)$/, '');
  return ` ${clip(text.length <= room ? text : bare, room)} `;
}
