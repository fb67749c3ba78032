/**
 * The blessed dashboard: widgets, key and mouse bindings, and a throttled
 * render loop. It owns no logic: panes show what the view-model computes,
 * keys call Actions (role and server methods). blessed stays behind this
 * file: nothing else in the project imports it.
 */
import blessed from 'blessed';
import { ApplyRejectedError } from '../plugin/config/configProblem.js';
import { validatePort } from '../plugin/config/validatePort.js';
import type { ScType } from '../plugin/securitycenter/scTypes.js';
import { Actions } from './actions.js';
import { dashboardLayout, fitLabel, type Rect } from './dashboardLayout.js';
import { clip, pack, shortDuration } from './format.js';
import { KEYMAP, type KeyAction } from './keymap.js';
import { DEFAULT_READY_TIMEOUT_MS, notReadyLine } from './readyDeadline.js';
import { editText, formFromConfig, formInput, formKey, formLines, withProblems, type FormState } from './propertiesForm.js';
import type { TuiSession } from './startDashboard.js';
import {
  alarmsTable,
  browserItems,
  faultMenu,
  helpLines,
  logLine,
  menuLines,
  nextFrameRate,
  propertiesLines,
  serverLines,
  statePane,
  syncPane,
  type BrowserItem,
  type FrameRate,
  type MenuItem,
} from './viewModel.js';

export interface DashboardOptions {
  /** Quit by itself once the role is ready (measurements). */
  exitWhenReady?: boolean;
  /** With exitWhenReady: quit with code 1 when not ready by then (default 60s). */
  readyTimeoutMs?: number;
  /** Minimum ms between two renders (default 100: at most 10 per second). */
  renderIntervalMs?: number;
}

export interface DashboardResult {
  code: number;
  renders: number;
  /** Lines to print once the terminal is restored. */
  summary: string[];
  /** The one line for stderr when the run ended in an error (not ready by the timeout). */
  error?: string;
}

type Mode = 'main' | 'help' | 'menu' | 'form' | 'port';

const esc = (s: string): string => blessed.escape(s);

export function runDashboard(session: TuiSession, options: DashboardOptions = {}): Promise<DashboardResult> {
  const { role, server, sc, feed } = session;
  const actions = new Actions(session);
  const interval = options.renderIntervalMs ?? 100;

  const screen = blessed.screen({ smartCSR: true, title: `sipass-testbench: ${role.name}`, autoPadding: true, warnings: false });
  /** Each pane's full label; place() fits it to the pane's width. */
  const labels = new Map<blessed.Widgets.BlessedElement, string>();
  const pane = (label: string, extra: blessed.Widgets.BoxOptions = {}): blessed.Widgets.BoxElement => {
    const box = blessed.box({ parent: screen, label: ` ${label} `, border: 'line', tags: true, style: { border: { fg: 'cyan' } }, ...extra });
    labels.set(box, label);
    return box;
  };

  const stateBox = pane('Role state');
  const propsBox = pane('Properties (p: edit)', { clickable: true });
  const serverBox = server ? pane('Server (in-process)') : null;
  const syncBox = pane('Sync');
  const browser = blessed.list({
    parent: screen,
    label: ' Entity browser (Enter/click: expand) ',
    border: 'line',
    keys: true,
    mouse: true,
    scrollbar: { ch: ' ', style: { bg: 'cyan' } },
    style: { border: { fg: 'cyan' }, selected: { inverse: true } },
  });
  labels.set(browser, 'Entity browser (Enter/click: expand)');
  const alarmsBox = pane('Alarms');
  const logBox = pane('Event log (wheel / PgUp PgDn)', { scrollable: true, alwaysScroll: true, mouse: true, keys: true, scrollbar: { ch: ' ', style: { bg: 'cyan' } } });
  const statusBar = blessed.box({ parent: screen, height: 1, tags: true, style: { inverse: true } });
  const overlay = blessed.box({ parent: screen, hidden: true, border: 'line', tags: true, top: 'center', left: 'center', style: { border: { fg: 'yellow' } } });
  const menu = blessed.list({
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

  let mode: Mode = 'main';
  let form: FormState = formFromConfig(role.config);
  let portText = '';
  let portError = '';
  let status = 'Press ? for help';
  let dirty = true;
  let renders = 0;
  let lastRender = 0;
  let fps: FrameRate | null = null;
  let items: BrowserItem[] = [];
  let menuItems: MenuItem[] = [];
  const expanded = new Set<string>();
  const entityCache = new Map<string, { at: number; count: number; list: Array<{ id: string; name: string; sipassId: string }> }>();
  let follow = true;
  const focusables: blessed.Widgets.BlessedElement[] = [browser, logBox];

  const layout = (): void => {
    const cols = screen.width as number;
    const rows = screen.height as number;
    const l = dashboardLayout(cols, rows, serverBox !== null);
    place(stateBox, l.state);
    place(propsBox, l.properties);
    if (serverBox && l.server) place(serverBox, l.server);
    place(syncBox, l.sync);
    place(browser, l.browser);
    place(alarmsBox, l.alarms);
    place(logBox, l.log);
    place(statusBar, l.status);
    overlay.width = Math.min(cols - 2, 96);
    overlay.height = Math.min(rows - 2, KEYMAP.length + 4);
    menu.width = Math.min(cols - 2, 80);
    menu.height = 8;
  };
  const place = (el: blessed.Widgets.BlessedElement, r: Rect): void => {
    el.top = r.top;
    el.left = r.left;
    el.width = r.width;
    el.height = r.height;
    const label = labels.get(el);
    if (label !== undefined) el.setLabel(fitLabel(label, r.width));
  };
  const inner = (el: blessed.Widgets.BlessedElement): number => Math.max(1, (el.width as number) - 2);

  const entitiesOf = (roleName: string, type: ScType, limit: number): Array<{ id: string; name: string; sipassId: string }> => {
    const key = `${roleName}/${type}`;
    const count = role.entities.count(type);
    const hit = entityCache.get(key);
    // Walking a million-entity store is not free: refresh an expanded node at most every 2s.
    if (hit && (hit.count === count || Date.now() - hit.at < 2000)) return hit.list;
    const list: Array<{ id: string; name: string; sipassId: string }> = [];
    for (const e of role.entities.entities(type)) {
      if (list.length >= limit) break;
      list.push({ id: e.id, name: e.name, sipassId: e.sipassId });
    }
    entityCache.set(key, { at: Date.now(), count, list });
    return list;
  };

  const render = (): void => {
    const now = Date.now();
    lastRender = now;
    dirty = false;
    renders++;
    const snap = role.snapshot();
    const sp = statePane(snap, now);
    const colour = snap.health === 'ok' ? 'green' : snap.health === 'warning' ? 'yellow' : 'red';
    const stateLines = pack(sp.states, (s) => s.name.length + (s.current ? 2 : 0), 3, inner(stateBox)).map((line) =>
      line.map((s) => (s.current ? `{${colour}-bg}{black-fg}{bold}[${s.name}]{/}` : `{gray-fg}${s.name}{/}`)).join(' > '),
    );
    stateBox.setContent([...stateLines, ...sp.lines.map((l) => esc(clip(l, inner(stateBox))))].join('\n'));
    propsBox.setContent(propertiesLines(snap.config, inner(propsBox)).map((l) => esc(clip(l, inner(propsBox)))).join('\n'));
    if (serverBox && server) {
      const st = server.stats();
      fps = nextFrameRate(fps, st.framesOut, now);
      serverBox.setContent(serverLines(st, fps.fps, actions.slowRate, inner(serverBox)).map((l) => esc(clip(l, inner(serverBox)))).join('\n'));
    }
    const sync = syncPane(snap, Math.max(4, Math.min(20, inner(syncBox) - 50)));
    syncBox.setLabel(fitLabel(sync.title, syncBox.width as number));
    syncBox.setContent([...sync.summary, ...sync.rows.map((r) => r.text)].map((l) => esc(clip(l, inner(syncBox)))).join('\n'));
    const selected = (browser as unknown as { selected: number }).selected ?? 0;
    items = browserItems(sc.entityBrowser(), expanded, entitiesOf);
    browser.setItems(items.map((i) => esc(clip(i.text, inner(browser) - 1))));
    browser.select(Math.min(selected, items.length - 1));
    alarmsBox.setContent(alarmsTable(sc.alarms.list(), sc.monitor.list(), inner(alarmsBox)).map(esc).join('\n'));
    const lines = feed.list().map((e) => {
      const text = esc(logLine(e));
      return e.kind === 'error' ? `{red-fg}${text}{/}` : e.kind === 'state' ? `{cyan-fg}${text}{/}` : text;
    });
    logBox.setContent(lines.join('\n'));
    if (follow) logBox.setScrollPerc(100);
    const hint = '{bold}?{/bold} help  {bold}q{/bold} quit  {bold}p{/bold} properties  {bold}s{/bold} sync  {bold}a/k/c{/bold} alarm  {bold}e{/bold} event  {bold}f{/bold} faults  {bold}o{/bold} port';
    statusBar.setContent(`${hint}  | ${esc(clip(status, Math.max(0, (screen.width as number) - 90)))}`);
    if (mode === 'form') overlay.setContent(formLines(form).map(esc).join('\n'));
    if (mode === 'port') overlay.setContent([`New server port (0 = any free port), now ${server?.port ?? '-'}:`, '', `[${esc(portText)}_]`, portError ? `! ${esc(portError)}` : '', '', 'Enter: change  Esc: cancel'].join('\n'));
    screen.render();
  };
  const markDirty = (): void => {
    dirty = true;
  };

  const say = (text: string, error = false): void => {
    status = text;
    feed.action(text, error ? 'error' : 'action');
    markDirty();
  };
  const attempt = (fn: () => string | Promise<string>): void => {
    try {
      const r = fn();
      if (typeof r === 'string') say(r);
      else r.then((t) => say(t), (e: unknown) => say((e as Error).message, true));
    } catch (e) {
      say((e as Error).message, true);
    }
  };

  const showOverlay = (label: string, content: string, height?: number): void => {
    overlay.setLabel(` ${label} `);
    overlay.setContent(content);
    if (height !== undefined) overlay.height = Math.min((screen.height as number) - 2, height);
    overlay.show();
    overlay.setFront();
    overlay.focus();
    markDirty();
  };
  const closeOverlay = (): void => {
    overlay.hide();
    menu.hide();
    mode = 'main';
    browser.focus();
    markDirty();
  };

  const openMenu = (): void => {
    const st = server?.stats();
    menuItems = faultMenu({
      inProcess: server !== null,
      blocked: st?.blocked ?? false,
      slow: actions.slowRate !== null,
      listening: st?.listening ?? false,
      roleConnected: session.roleSocket() !== null,
    });
    menu.setItems(menuLines(menuItems).map(esc));
    menu.height = menuItems.length + 2;
    menu.select(0);
    menu.show();
    menu.setFront();
    menu.focus();
    mode = 'menu';
    markDirty();
  };
  const runMenuItem = (item: MenuItem | undefined): void => {
    if (!item) return;
    closeOverlay();
    if (!item.enabled) {
      say(`${item.label}: disabled (${item.why})`, true);
      return;
    }
    act(item.action);
  };
  menu.on('select', (_el: unknown, index: number) => runMenuItem(menuItems[index]));

  let quit: (code: number, error?: string) => void = () => undefined;

  const act = (action: KeyAction): void => {
    switch (action) {
      case 'help':
        mode = 'help';
        showOverlay('Keys (any key closes)', helpLines().map(esc).join('\n'), KEYMAP.length + 2);
        return;
      case 'quit':
        quit(0);
        return;
      case 'properties':
        form = formFromConfig(role.config);
        mode = 'form';
        showOverlay('Properties tab', formLines(form).map(esc).join('\n'), 14);
        return;
      case 'manualSync':
        return attempt(() => actions.manualSync());
      case 'raiseAlarm':
        return attempt(() => actions.raiseAlarm());
      case 'ackAlarm':
        return attempt(() => actions.acknowledgeAlarm());
      case 'clearAlarm':
        return attempt(() => actions.clearAlarm());
      case 'fireEvent':
        return attempt(() => actions.fireEvent());
      case 'faultMenu':
        return openMenu();
      case 'reset':
        return attempt(() => actions.reset());
      case 'block':
        return attempt(() => actions.toggleBlock());
      case 'garbage':
        return attempt(() => actions.garbage());
      case 'slow':
        return attempt(() => actions.toggleSlow());
      case 'restart':
        return attempt(() => actions.restart());
      case 'serverPort':
        if (!server) return say("changing the port needs the in-process server (the dashboard is attached to another process's server)", true);
        portText = '';
        portError = '';
        mode = 'port';
        showOverlay('Server port', '', 8);
        return;
      case 'scrollLog':
        return; // needs the key's direction: handled where the key arrives (main mode)
      case 'focusNext': {
        const i = focusables.findIndex((f) => f === screen.focused);
        focusables[(i + 1) % focusables.length]?.focus();
        markDirty();
        return;
      }
    }
  };

  const applyForm = (): void => {
    try {
      role.apply(formInput(form));
      closeOverlay();
      say('Properties applied');
    } catch (e) {
      if (e instanceof ApplyRejectedError) {
        form = withProblems(form, e.problems);
        feed.action(`Apply rejected, nothing changed: ${e.problems.map((p) => p.message).join('; ')}`, 'error');
        status = 'Apply rejected, nothing changed';
        markDirty();
      } else {
        say((e as Error).message, true);
      }
    }
  };

  const changePort = (): void => {
    const t = portText.trim();
    const p = t === '0' ? { ok: true as const, port: 0 } : validatePort(t);
    if (!p.ok) {
      portError = `Port: ${JSON.stringify(t)} ${p.reason} (or 0 for any free port)`;
      markDirty();
      return;
    }
    closeOverlay();
    attempt(() => actions.setPort(p.port));
  };

  screen.on('keypress', (ch: string | undefined, key: blessed.Widgets.Events.IKeyEventArg | undefined) => {
    if (!key) return;
    if (key.full === 'C-c') return quit(0);
    switch (mode) {
      case 'help':
        return closeOverlay();
      case 'menu': {
        if (key.name === 'escape' || key.full === 'q') return closeOverlay();
        const item = menuItems.find((m) => m.key === key.full);
        if (item) runMenuItem(item);
        return;
      }
      case 'form': {
        const out = formKey(form, { name: key.name, ch, ctrl: key.ctrl });
        form = out.form;
        if (out.action === 'cancel') return closeOverlay();
        if (out.action === 'apply') return applyForm();
        markDirty();
        return;
      }
      case 'port': {
        if (key.name === 'escape') return closeOverlay();
        if (key.name === 'enter') return changePort();
        portText = editText(portText, { name: key.name, ch, ctrl: key.ctrl });
        markDirty();
        return;
      }
      case 'main': {
        if (key.name === 'pageup' || key.name === 'pagedown') {
          logBox.scroll((key.name === 'pageup' ? -1 : 1) * Math.max(1, (logBox.height as number) - 3));
          follow = logBox.getScrollPerc() >= 100;
          markDirty();
          return;
        }
        const binding = KEYMAP.find((k) => k.keys.includes(key.full));
        if (binding) act(binding.action);
        return;
      }
    }
  });

  browser.on('select', (_el: unknown, index: number) => {
    const item = items[index];
    if (!item?.expandable) return;
    if (expanded.has(item.key)) expanded.delete(item.key);
    else expanded.add(item.key);
    entityCache.delete(item.key);
    markDirty();
  });
  propsBox.on('click', () => {
    if (mode === 'main') act('properties');
  });
  logBox.on('wheelup', () => {
    follow = false;
    markDirty();
  });
  logBox.on('wheeldown', () => {
    follow = logBox.getScrollPerc() >= 100;
    markDirty();
  });
  screen.on('resize', () => {
    layout();
    render();
  });

  role.on('snapshot', markDirty);
  feed.on('entry', markDirty);
  server?.on('event', markDirty);

  return new Promise<DashboardResult>((resolve) => {
    let done = false;
    const timer = setInterval(() => {
      // Throttled: at most one render per `interval`; clocks (retry countdown, frames/s) refresh every second.
      if (dirty || Date.now() - lastRender >= 1000) render();
    }, interval);
    const onReady = (): void => {
      if (options.exitWhenReady && role.state === 'ready') quit(0);
    };
    if (options.exitWhenReady) role.on('notice', onReady);
    const readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
    const deadline = options.exitWhenReady ? setTimeout(() => quit(1, notReadyLine(role, readyTimeoutMs)), readyTimeoutMs) : undefined;
    quit = (code: number, error?: string): void => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      clearInterval(timer);
      role.off('snapshot', markDirty);
      role.off('notice', onReady);
      feed.off('entry', markDirty);
      server?.off('event', markDirty);
      screen.destroy();
      const s = role.snapshot();
      const summary = [`role ${s.state}${s.lastError ? ` (last error ${s.lastError.code})` : ''}`];
      if (s.lastSync) {
        const n = Object.values(s.lastSync.counts).reduce((a, b) => a + (b ?? 0), 0);
        summary.push(`last ${s.lastSync.mode} sync: ${n} entities in ${shortDuration(s.lastSync.endedAt - s.lastSync.startedAt)} (${s.lastSync.endedAt - s.lastSync.startedAt} ms)`);
      }
      resolve({ code, renders, summary, ...(error !== undefined ? { error } : {}) });
    };
    layout();
    browser.focus();
    render();
    try {
      session.begin();
    } catch (e) {
      say((e as Error).message, true);
    }
  });
}
