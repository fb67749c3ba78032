import http from 'node:http';
import type net from 'node:net';
import { TestbenchError } from '../../core/testbenchError.js';
import { isLoopbackHost } from '../limits/exposureWarning.js';
import type { SiPassServer } from '../sipassServer.js';
import { ControlActions } from './controlActions.js';
import { readJsonBody } from './readJsonBody.js';

/** A request body larger than this is refused: commands are small. */
const MAX_BODY = 64 * 1024;
const BODY_CODES = { tooLarge: 'CONTROL_BODY_TOO_LARGE', badRequest: 'CONTROL_BAD_REQUEST' };

export interface ControlAddress {
  host: string;
  port: number;
  url: string;
}

type Route = (body: Record<string, unknown>) => unknown;

/**
 * The live control channel of a running `serve` (docs/control.md): a small HTTP/JSON port on
 * loopback only, so a QA script can raise alarms and events, acknowledge and clear alarms, reset
 * connections and read the server's statistics while roles are connected. Each answer is one
 * JSON object: `{ ok: true, ... }`, or `{ ok: false, code, message }` with status 400/404.
 */
export class ControlServer {
  private http: http.Server | undefined;
  private readonly routes: Record<string, Route>;

  constructor(private readonly server: SiPassServer) {
    const a = new ControlActions(server);
    this.routes = {
      'GET /stats': () => this.stats(),
      'POST /alarms': (b) => a.raiseAlarms(b),
      'POST /events': (b) => a.fireEvents(b),
      'POST /acks': (b) => a.acknowledge(b),
      'POST /clears': (b) => a.clear(b),
      'POST /reset': () => a.reset(),
      'POST /faults': (b) => a.addFault(b),
      'DELETE /faults': () => a.clearFaults(),
    };
  }

  private stats(): unknown {
    const mem = process.memoryUsage();
    // ru_maxrss is in KiB on Linux.
    return { ...this.server.stats(), process: { rss: mem.rss, heapUsed: mem.heapUsed, maxRss: process.resourceUsage().maxRSS * 1024, cpuUser: process.cpuUsage().user, cpuSystem: process.cpuUsage().system } };
  }

  /** Listens on a loopback address only: the channel can raise alarms and reset connections. */
  listen(host = '127.0.0.1', port = 0): Promise<ControlAddress> {
    if (!isLoopbackHost(host)) {
      return Promise.reject(new TestbenchError('CONTROL_NOT_LOOPBACK', `the control channel listens on loopback only (127.0.0.1 or ::1), not ${host}`));
    }
    return new Promise((resolve, reject) => {
      const s = http.createServer((req, res) => void this.handle(req, res));
      s.once('error', (e: NodeJS.ErrnoException) =>
        reject(new TestbenchError(e.code === 'EADDRINUSE' ? 'SERVER_PORT_IN_USE' : 'SERVER_LISTEN_FAILED', `control channel: cannot listen on ${host}:${port}: ${e.message}`)),
      );
      s.listen({ host, port }, () => {
        this.http = s;
        const addr = s.address() as net.AddressInfo;
        const shown = host.includes(':') ? `[${host}]` : host;
        resolve({ host, port: addr.port, url: `http://${shown}:${addr.port}` });
      });
    });
  }

  async stop(): Promise<void> {
    const s = this.http;
    this.http = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const send = (status: number, body: unknown): void => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = this.routes[`${req.method ?? 'GET'} ${path}`];
    if (!route) {
      send(404, { ok: false, code: 'CONTROL_NO_SUCH_COMMAND', message: `no ${req.method} ${path}; commands: ${Object.keys(this.routes).join(', ')}` });
      return;
    }
    try {
      const body = await readJsonBody(req, MAX_BODY, BODY_CODES);
      const answer = await route(body);
      send(200, { ok: true, ...(answer as object) });
    } catch (e) {
      if (e instanceof TestbenchError) send(e.code === 'CONTROL_BODY_TOO_LARGE' ? 413 : 400, { ok: false, code: e.code, message: e.message });
      else send(500, { ok: false, code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) });
    }
  }
}
