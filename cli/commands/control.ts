import { UsageError, type Command } from '../command.js';
import { parseControlAddress } from '../controlAddress.js';
import { countOption, durationOption, optString, parseOptions } from '../parseOptions.js';

interface Answer {
  ok: boolean;
  code?: string;
  message?: string;
  [key: string]: unknown;
}

interface SessionView {
  state: string;
  synced?: boolean;
  ackedSeq: number;
}

async function call(base: string, method: string, path: string, body?: unknown): Promise<Answer> {
  let r: Response;
  try {
    r = await fetch(`${base}${path}`, { method, ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}) });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
    return { ok: false, code: 'CONTROL_UNREACHABLE', message: `no control channel at ${base} (${cause}): is serve running with --control?` };
  }
  return (await r.json()) as Answer;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls /stats until `done` holds or the timeout passes. */
async function waitFor(base: string, timeoutMs: number, what: string, done: (s: Answer) => boolean): Promise<Answer> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await call(base, 'GET', '/stats');
    if (!s.ok) return s;
    if (done(s)) return s;
    if (Date.now() > deadline) return { ok: false, code: 'CONTROL_WAIT_TIMEOUT', message: `${what} not reached after ${timeoutMs / 1000}s` };
    await sleep(100);
  }
}

export const controlCommand: Command = {
  name: 'control',
  summary: 'Drive a running serve through its control channel: raise alarms and events, ack, reset, stats',
  usage: `Usage: sipass-testbench control ADDR COMMAND [options]

Talks to the control channel of a running \`serve --control 127.0.0.1:0\` (ADDR is what serve
printed, e.g. 127.0.0.1:40123). Prints the server's answer as one JSON line.

Commands:
  stats                                   server statistics (connections, seq, limits, RSS, ...)
  raise-alarm [--class ID] [--count N] [--rate N/s] [--id OCC]
                                          raise alarms (default class: the site's first)
  fire-event [--type ID] [--count N] [--rate N/s] [--source S]
                                          fire SiPass events (default type: the site's first)
  ack (--all | OCC...) [--by NAME]        acknowledge alarms in SiPass
  clear (--all | OCC...)                  clear alarms in SiPass
  reset                                   reset every role connection
  fault SPEC                              add a fault (as serve --fault), e.g. resetAfter:frames=100
  clear-faults                            remove every fault
  wait-synced [--roles N] [--timeout 30s] wait until N roles (default 1) finished their full sync
  wait-acked [--timeout 60s]              wait until every connected role acknowledged the last
                                          live message (and at least one is connected)

--rate spreads the items over time (N per second); without it they are raised in one go.
Exit codes: 0 done, 1 refused by the server, unreachable or a wait timed out, 2 bad arguments.`,
  async run(argv) {
    const { values, positionals } = parseOptions(
      argv,
      {
        class: { type: 'string' },
        type: { type: 'string' },
        count: { type: 'string' },
        rate: { type: 'string' },
        id: { type: 'string' },
        source: { type: 'string' },
        by: { type: 'string' },
        all: { type: 'boolean' },
        roles: { type: 'string' },
        timeout: { type: 'string' },
      },
      true,
    );
    const [addrArg, command, ...rest] = positionals;
    if (addrArg === undefined || command === undefined) throw new UsageError('control needs ADDR and a COMMAND');
    const addr = parseControlAddress(addrArg.replace(/^http:\/\//, '').replace(/\/$/, ''), 'ADDR');
    const base = `http://${addr.host.includes(':') ? `[${addr.host}]` : addr.host}:${addr.port}`;
    const count = countOption('count', optString(values.count));
    const rateText = optString(values.rate)?.replace(/\/s$/, '');
    const rate = rateText !== undefined ? Number(rateText) : undefined;
    if (rate !== undefined && !(Number.isFinite(rate) && rate >= 0)) throw new UsageError(`--rate ${JSON.stringify(values.rate)} is not a number per second`);
    const ids = (): { all: true } | { ids: string[] } => {
      if (values.all === true) return { all: true };
      if (rest.length === 0) throw new UsageError(`${command} needs occurrence ids or --all`);
      return { ids: rest };
    };
    let answer: Answer;
    switch (command) {
      case 'stats':
        answer = await call(base, 'GET', '/stats');
        break;
      case 'raise-alarm':
        answer = await call(base, 'POST', '/alarms', { class: optString(values.class), count, rate, id: optString(values.id) });
        break;
      case 'fire-event':
        answer = await call(base, 'POST', '/events', { type: optString(values.type), count, rate, source: optString(values.source) });
        break;
      case 'ack':
        answer = await call(base, 'POST', '/acks', { ...ids(), by: optString(values.by) });
        break;
      case 'clear':
        answer = await call(base, 'POST', '/clears', ids());
        break;
      case 'reset':
        answer = await call(base, 'POST', '/reset');
        break;
      case 'fault':
        if (rest[0] === undefined) throw new UsageError('fault needs a SPEC, e.g. resetAfter:frames=100');
        answer = await call(base, 'POST', '/faults', { spec: rest[0] });
        break;
      case 'clear-faults':
        answer = await call(base, 'DELETE', '/faults');
        break;
      case 'wait-synced': {
        const roles = countOption('roles', optString(values.roles)) ?? 1;
        const timeoutMs = durationOption('timeout', optString(values.timeout), 30_000);
        answer = await waitFor(base, timeoutMs, `${roles} synced roles`, (s) => (s.sessions as SessionView[]).filter((x) => x.synced === true).length >= roles);
        if (answer.ok) answer = { ok: true, synced: (answer.sessions as SessionView[]).filter((x) => x.synced === true).length, seq: answer.seq };
        break;
      }
      case 'wait-acked': {
        const timeoutMs = durationOption('timeout', optString(values.timeout), 60_000);
        answer = await waitFor(base, timeoutMs, 'every role acknowledging the last live message', (s) => {
          const open = (s.sessions as SessionView[]).filter((x) => x.state === 'open');
          return open.length > 0 && open.every((x) => x.synced === true && x.ackedSeq >= (s.seq as number));
        });
        if (answer.ok) answer = { ok: true, seq: answer.seq, roles: (answer.sessions as SessionView[]).length };
        break;
      }
      default:
        throw new UsageError(`unknown control command "${command}"`);
    }
    const out = JSON.stringify(answer, (_k, v: unknown) => (v === undefined ? undefined : v));
    if (answer.ok) console.log(out);
    else console.error(`sipass-testbench control: ${answer.code ?? 'FAILED'}: ${answer.message ?? out}`);
    return answer.ok ? 0 : 1;
  },
};
