/**
 * The blessed dashboard: composes the panes (tui/panes/, one file each), routes
 * keys (tui/keyRouter.ts) to Actions, and runs a throttled render loop. It owns
 * no logic: panes show what the view-model computes, keys call Actions (role
 * and server methods). blessed stays behind this file and tui/panes/.
 */
import blessed from 'blessed';
import { ApplyRejectedError } from '../plugin/config/configProblem.js';
import { Actions } from './actions.js';
import { dashboardLayout } from './dashboardLayout.js';
import { EntitySampler } from './entitySampler.js';
import { KEYMAP, type KeyAction } from './keymap.js';
import { routeKey, type KeyPress, type Mode } from './keyRouter.js';
import { AlarmsBox } from './panes/alarmsBox.js';
import { EntityBrowserBox } from './panes/entityBrowserBox.js';
import { EventLogBox } from './panes/eventLogBox.js';
import { FaultMenuBox } from './panes/faultMenuBox.js';
import { OverlayBox } from './panes/overlayBox.js';
import type { Element } from './panes/paneBox.js';
import { PropertiesBox } from './panes/propertiesBox.js';
import { RoleStateBox } from './panes/roleStateBox.js';
import { ServerBox } from './panes/serverBox.js';
import { StatusBar } from './panes/statusBar.js';
import { SyncBox } from './panes/syncBox.js';
import { portPromptLines, readPort } from './portPrompt.js';
import { defaultRecordingPath, saveRecording } from './recordingFile.js';
import { SessionRecorder } from './sessionRecorder.js';
import { editText, formFromConfig, formInput, formKey, formLines, withProblems, type FormState } from './propertiesForm.js';
import { DEFAULT_READY_TIMEOUT_MS, notReadyLine } from './readyDeadline.js';
import type { TuiSession } from './startDashboard.js';
import { faultMenu, helpLines, nextFrameRate, quitSummary, type FrameRate, type MenuItem } from './viewModel.js';

export interface DashboardOptions {
  /** Quit by itself once the role is ready (measurements). */
  exitWhenReady?: boolean;
  /** With exitWhenReady: quit with code 1 when not ready by then (default 60s). */
  readyTimeoutMs?: number;
  /** Minimum ms between two renders (default 100: at most 10 per second). */
  renderIntervalMs?: number;
  /** Where `R` saves a recording (default recordings/dashboard-<time>.yaml). */
  recordTo?: string;
}

export interface DashboardResult {
  code: number;
  renders: number;
  /** Lines to print once the terminal is restored. */
  summary: string[];
  /** The one line for stderr when the run ended in an error (not ready by the timeout). */
  error?: string;
}

/** Every pane of the main screen, built and placed together. */
function buildPanes(screen: blessed.Widgets.Screen, session: TuiSession, markDirty: () => void, openForm: () => void) {
  return {
    state: new RoleStateBox(screen),
    properties: new PropertiesBox(screen, openForm),
    server: session.server ? new ServerBox(screen, 'Server (in-process)') : null,
    sync: new SyncBox(screen),
    browser: new EntityBrowserBox(screen, new EntitySampler(session.role), markDirty),
    alarms: new AlarmsBox(screen),
    log: new EventLogBox(screen, markDirty),
    status: new StatusBar(screen),
    overlay: new OverlayBox(screen),
  };
}

export function runDashboard(session: TuiSession, options: DashboardOptions = {}): Promise<DashboardResult> {
  const { role, server, sc, feed } = session;
  const actions = new Actions(session);
  const recorder = new SessionRecorder(session);
  actions.onStep = (step) => recorder.record(step);
  const interval = options.renderIntervalMs ?? 100;
  const screen = blessed.screen({ smartCSR: true, title: `sipass-testbench: ${role.name}`, autoPadding: true, warnings: false });

  let mode: Mode = 'main';
  let form: FormState = formFromConfig(role.config);
  let portText = '';
  let portError = '';
  let status = 'Press ? for help';
  let dirty = true;
  let renders = 0;
  let lastRender = 0;
  let fps: FrameRate | null = null;
  const markDirty = (): void => {
    dirty = true;
  };
  const panes = buildPanes(screen, session, markDirty, () => {
    if (mode === 'main') act('properties');
  });
  const menu = new FaultMenuBox(screen, (item) => runMenuItem(item));
  const focusables: Element[] = [panes.browser.el, panes.log.el, panes.alarms.el, panes.sync.el];

  const layout = (): void => {
    const l = dashboardLayout(screen.width as number, screen.height as number, panes.server !== null);
    panes.state.place(l.state);
    panes.properties.place(l.properties);
    if (panes.server && l.server) panes.server.place(l.server);
    panes.sync.place(l.sync);
    panes.browser.place(l.browser);
    panes.alarms.place(l.alarms);
    panes.log.place(l.log);
    panes.status.place(l.status);
    panes.overlay.fit(96, KEYMAP.length + 4);
  };

  const render = (): void => {
    const now = Date.now();
    lastRender = now;
    dirty = false;
    renders++;
    const snap = role.snapshot();
    panes.state.show(snap, now);
    panes.properties.show(snap.config);
    if (panes.server && server) {
      const st = server.stats();
      fps = nextFrameRate(fps, st.framesOut, now);
      panes.server.show(st, fps.fps, actions.slowRate, server.proxyInfo());
    }
    panes.sync.show(snap);
    panes.browser.show(sc.entityBrowser());
    panes.alarms.show(sc.alarms.list(), sc.monitor.list());
    panes.log.show(feed.list());
    panes.status.show(status, recorder.active ? `REC ${recorder.actions}` : null);
    if (mode === 'form') panes.overlay.setLines(formLines(form));
    if (mode === 'port') panes.overlay.setLines(portPromptLines(portText, portError, server?.port ?? null));
    screen.render();
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

  const openOverlay = (next: Mode, label: string, lines: string[], height?: number): void => {
    mode = next;
    panes.overlay.open(label, lines, height);
    markDirty();
  };
  const closeOverlay = (): void => {
    panes.overlay.close();
    menu.close();
    mode = 'main';
    panes.browser.el.focus();
    markDirty();
  };

  const openMenu = (): void => {
    const st = server?.stats();
    menu.open(faultMenu({ inProcess: server !== null, blocked: st?.blocked ?? false, slow: actions.slowRate !== null, listening: st?.listening ?? false, roleConnected: session.roleSocket() !== null }));
    mode = 'menu';
    markDirty();
  };
  const runMenuItem = (item: MenuItem | undefined): void => {
    if (!item) return;
    closeOverlay();
    if (!item.enabled) return say(`${item.label}: disabled (${item.why})`, true);
    act(item.action);
  };

  let quit: (code: number, error?: string) => void = () => undefined;

  const act = (action: KeyAction): void => {
    recorder.checkpoint();
    switch (action) {
      case 'help':
        return openOverlay('help', 'Keys (any key closes)', helpLines(), KEYMAP.length + 2);
      case 'quit':
        return quit(0);
      case 'properties':
        form = formFromConfig(role.config);
        return openOverlay('form', 'Properties tab', formLines(form), 14);
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
        return openOverlay('port', 'Server port', portPromptLines('', '', server.port), 8);
      case 'record':
        if (!recorder.active) {
          recorder.start();
          return say('recording: every action from now on (R again, or q, saves it as a scenario)');
        }
        return attempt(() => stopRecording());
      case 'scrollLog':
        return; // needs the key's direction: routed as scrollLog
      case 'focusNext': {
        const i = focusables.findIndex((f) => f === screen.focused);
        focusables[(i + 1) % focusables.length]?.focus();
        return markDirty();
      }
    }
  };

  /** Saves the recording; the path goes to the log (and to the summary printed on quit). */
  const stopRecording = (): string => {
    const file = saveRecording(recorder.stop(), options.recordTo ?? defaultRecordingPath(new Date()));
    saved.push(file);
    return `recording saved: ${recorder.actions} actions in ${file} (sipass-testbench run ${file})`;
  };
  const saved: string[] = [];

  const applyForm = (): void => {
    recorder.checkpoint();
    try {
      say(actions.apply(formInput(form)));
      closeOverlay();
    } catch (e) {
      if (!(e instanceof ApplyRejectedError)) return say((e as Error).message, true);
      form = withProblems(form, e.problems);
      feed.action(`Apply rejected, nothing changed: ${e.problems.map((p) => p.message).join('; ')}`, 'error');
      status = 'Apply rejected, nothing changed';
      markDirty();
    }
  };

  const onKey = (key: KeyPress): void => {
    const route = routeKey(mode, key);
    switch (route.to) {
      case 'none':
        return;
      case 'quit':
        return quit(0);
      case 'close':
        return closeOverlay();
      case 'action':
        return act(route.action);
      case 'menuItem': {
        const item = menu.byKey(route.key);
        if (item) runMenuItem(item);
        return;
      }
      case 'form': {
        const out = formKey(form, route.key);
        form = out.form;
        if (out.action === 'cancel') return closeOverlay();
        if (out.action === 'apply') return applyForm();
        return markDirty();
      }
      case 'portEnter': {
        const p = readPort(portText);
        if (!p.ok) {
          portError = p.error;
          return markDirty();
        }
        closeOverlay();
        recorder.checkpoint();
        return attempt(() => actions.setPort(p.port));
      }
      case 'portEdit':
        portText = editText(portText, route.key);
        return markDirty();
      case 'scrollLog':
        panes.log.page(route.direction);
        return markDirty();
    }
  };

  screen.on('keypress', (ch: string | undefined, key: blessed.Widgets.Events.IKeyEventArg | undefined) => {
    if (key) onKey({ name: key.name ?? '', full: key.full, ch, ctrl: key.ctrl });
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
      if (recorder.active) attempt(() => stopRecording());
      clearTimeout(deadline);
      clearInterval(timer);
      role.off('snapshot', markDirty);
      role.off('notice', onReady);
      feed.off('entry', markDirty);
      server?.off('event', markDirty);
      screen.destroy();
      const summary = [...quitSummary(role.snapshot()), ...saved.map((f) => `recording saved: ${f}`)];
      resolve({ code, renders, summary, ...(error !== undefined ? { error } : {}) });
    };
    layout();
    panes.browser.el.focus();
    render();
    try {
      session.begin();
    } catch (e) {
      say((e as Error).message, true);
    }
  });
}
