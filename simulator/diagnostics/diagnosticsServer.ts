import http from 'node:http';
import type net from 'node:net';
import type { TimerHandle } from '../../core/clock.js';
import { TestbenchError } from '../../core/testbenchError.js';
import { ControlActions } from '../control/controlActions.js';
import { readJsonBody } from '../control/readJsonBody.js';
import type { SiPassServer } from '../sipassServer.js';
import { DiagnosticsModel } from './diagnosticsModel.js';
import { DIAGNOSTICS_PAGE } from './diagnosticsPage.js';
import { SseChannel } from './sseChannel.js';

/** SPEC R15: the SiPass proxy's diagnostic web interface listens on 6024. */
export const DEFAULT_DIAGNOSTICS_PORT = 6024;

export interface DiagnosticsServerOptions {
  /** Defaults to the SiPass server's host (loopback unless told). */
  host?: string;
  /** 0 = any free port. Default 6024 (R15). */
  port?: number;
  /** At most this many snapshots a second per client (default 4): a large sync costs the server nothing visible. */
  maxPushesPerSecond?: number;
  /** A snapshot at least this often while clients watch, so rates and ETAs move (default 1000 ms). */
  refreshMs?: number;
  /** A client with more than this many bytes unread is dropped (default 1 MiB). */
  maxQueueBytes?: number;
  /** Lines in each tail (default 100). */
  tail?: number;
}

const MAX_BODY = 64 * 1024;
const BODY_CODES = { tooLarge: 'DIAGNOSTICS_BODY_TOO_LARGE', badRequest: 'DIAGNOSTICS_BAD_REQUEST' };

/** A request the page's controls can make, and the SiPass-side action each one runs. */
type Action = (body: Record<string, unknown>) => unknown;

/**
 * The fake proxy's diagnostic web interface (R15): one page, its live
 * updates as Server-Sent Events, and a small JSON API for the page's
 * controls (faults, alarms, events). It observes the server through
 * DiagnosticsModel and acts only through SiPassServer's public actions.
 */
export class DiagnosticsServer {
  readonly model: DiagnosticsModel;
  private readonly sse: SseChannel<http.ServerResponse>;
  private readonly http: http.Server;
  private readonly minInterval: number;
  private readonly refreshMs: number;
  private timer: TimerHandle | undefined;
  private pushedVersion = -1;
  private lastPush = 0;
  private choicesJson: string | undefined;
  private readonly actions: Record<string, Action>;
  /** Snapshots pushed by the timer (the throttle's effect, for tests). */
  pushes = 0;
  host: string;
  port: number;

  constructor(
    private readonly server: SiPassServer,
    options: DiagnosticsServerOptions = {},
  ) {
    this.host = options.host ?? server.host;
    this.port = options.port ?? DEFAULT_DIAGNOSTICS_PORT;
    this.minInterval = 1000 / Math.max(0.1, options.maxPushesPerSecond ?? 4);
    this.refreshMs = Math.max(this.minInterval, options.refreshMs ?? 1000);
    this.model = new DiagnosticsModel(server, { tail: options.tail ?? 100 });
    this.sse = new SseChannel(options.maxQueueBytes ?? 1 << 20);
    this.http = http.createServer((req, res) => this.route(req, res));
    // The control channel's actions (`sipass-testbench control`, docs/control.md), which are
    // SiPassServer's own: the page adds no behaviour of its own.
    const control = new ControlActions(server);
    this.actions = {
      'POST /api/faults': (b) => control.addFault(b),
      'POST /api/faults/clear': (b) => (b.name === undefined ? control.clearFaults() : { removed: server.removeFault(requireString(b, 'name')) }),
      'POST /api/alarms': (b) => control.raiseAlarms({ class: b.class }),
      'POST /api/events': (b) => control.fireEvents({ type: b.type, source: 'SiPass diagnostic page' }),
    };
  }

  /** Clients watching now. */
  get clients(): number {
    return this.sse.size;
  }

  /** Clients dropped because they stopped reading. */
  get dropped(): number {
    return this.sse.dropped;
  }

  get url(): string {
    return `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}/`;
  }

  listen(): Promise<{ host: string; port: number; url: string }> {
    const { host, port } = this;
    return new Promise((resolve, reject) => {
      const onError = (e: NodeJS.ErrnoException): void => {
        const code = e.code === 'EADDRINUSE' ? 'DIAGNOSTICS_PORT_IN_USE' : 'DIAGNOSTICS_LISTEN_FAILED';
        const why = e.code === 'EADDRINUSE' ? 'is already in use (choose another --diagnostics PORT, or 0 for any free port)' : `cannot be listened on: ${e.message}`;
        reject(new TestbenchError(code, `diagnostic page: ${host}:${port} ${why}`, { host, port }));
      };
      this.http.once('error', onError);
      this.http.listen({ host, port }, () => {
        this.http.off('error', onError);
        this.port = (this.http.address() as net.AddressInfo).port;
        resolve({ host, port: this.port, url: this.url });
      });
    });
  }

  async stop(): Promise<void> {
    this.stopTimer();
    this.sse.close();
    this.model.dispose();
    if (!this.http.listening) return;
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private route(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const key = `${req.method ?? 'GET'} ${path}`;
    if (key === 'GET /' || key === 'GET /index.html') {
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
        // Everything is inline and same-origin: the page can load nothing from elsewhere.
        'Content-Security-Policy': "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:",
      });
      res.end(DIAGNOSTICS_PAGE);
      return;
    }
    if (key === 'GET /events') {
      this.choicesJson ??= JSON.stringify(this.model.choices());
      this.sse.add(res, [
        { event: 'choices', data: this.choicesJson },
        { event: 'snapshot', data: JSON.stringify(this.model.snapshot()) },
      ]);
      this.startTimer();
      return;
    }
    if (key === 'GET /snapshot') {
      sendJson(res, 200, this.model.snapshot());
      return;
    }
    const action = this.actions[key];
    if (!action) {
      sendJson(res, 404, { code: 'DIAGNOSTICS_NOT_FOUND', message: `no ${key} here (the page is at /)` });
      return;
    }
    // JSON only: a form posted from another site cannot send it without a preflight this server never answers.
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      sendJson(res, 415, { code: 'DIAGNOSTICS_BAD_REQUEST', message: 'send JSON (Content-Type: application/json)' });
      return;
    }
    readJsonBody(req, MAX_BODY, BODY_CODES)
      .then(async (body) => {
        const answer = await action(body);
        sendJson(res, 200, answer);
        this.model.touch();
      })
      .catch((e: unknown) => {
        const err = e instanceof TestbenchError ? e : new TestbenchError('DIAGNOSTICS_BAD_REQUEST', (e as Error).message);
        sendJson(res, err.code === 'DIAGNOSTICS_BODY_TOO_LARGE' ? 413 : 400, { code: err.code, message: err.message });
      });
  }

  /**
   * One timer while someone watches: every 1/maxPushesPerSecond it pushes a
   * snapshot if anything changed, and at least every `refreshMs` anyway.
   */
  private startTimer(): void {
    if (this.timer !== undefined) return;
    const tick = (): void => {
      this.timer = undefined;
      if (this.sse.size === 0) return;
      const now = this.server.clock.now();
      if (this.model.version !== this.pushedVersion || now - this.lastPush >= this.refreshMs) {
        this.pushedVersion = this.model.version;
        this.lastPush = now;
        this.pushes++;
        this.sse.broadcast('snapshot', JSON.stringify(this.model.snapshot()));
      }
      this.timer = this.server.clock.setTimeout(tick, this.minInterval);
    };
    this.timer = this.server.clock.setTimeout(tick, this.minInterval);
  }

  private stopTimer(): void {
    if (this.timer !== undefined) this.server.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}

function requireString(body: Record<string, unknown>, key: string): string {
  const v = body[key];
  if (typeof v !== 'string' || v.trim() === '') throw new TestbenchError('DIAGNOSTICS_BAD_REQUEST', `"${key}" must be a non-empty string`);
  return v.trim();
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}
