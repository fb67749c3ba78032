import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import t from 'tap';
import { cliInProcess } from '../helpers/cliInProcess.js';

const MAIN = 'dist/cli/main.js';
// Spawned where the process is what is tested: the exit status a shell sees for 0 (--help),
// 1 (connect never ready), 2 (an unknown command, serve's bad flags), serve in its own process, Ctrl-C.
const cli = (...args: string[]) => spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', timeout: 30_000 });
/** The same command in this process (test/helpers/cliInProcess.ts): what it prints and returns. */
const inProcess = (...args: string[]) => cliInProcess('.', args);

t.test('--help lists every subcommand with a one-line description', async (t) => {
  const r = cli('--help');
  t.equal(r.status, 0);
  for (const c of ['run', 'validate', 'serve', 'connect', 'bench', 'tui']) t.match(r.stdout, new RegExp(`\\n  ${c} +\\S`), c);
});

t.test('bad CLI input exits 2 naming the field', async (t) => {
  for (const [args, field] of [
    [['connect', '--port', '65536'], '--port "65536"'],
    [['connect', '--port', 'abc'], '--port "abc"'],
    [['connect', '--host', 'a b'], '--host "a b"'],
    [['serve', '--port', '-1'], '--port'],
    [['connect', '--timeout', 'soon'], '--timeout "soon"'],
    [['connect', '--bogus'], 'bogus'],
  ] as Array<[string[], string]>) {
    const r = await inProcess(...args);
    t.equal(r.status, 2, args.join(' '));
    t.match(r.stderr, field, `names ${field}`);
  }
  const u = cli('frobnicate');
  t.equal(u.status, 2);
  t.match(u.stderr, 'unknown command "frobnicate"');
});

t.test('serve on a port in use: one clear message, exit 2', async (t) => {
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  t.teardown(() => blocker.close());
  const port = (blocker.address() as net.AddressInfo).port;
  const r = cli('serve', '--port', String(port));
  t.equal(r.status, 2);
  t.match(r.stderr, `SERVER_PORT_IN_USE: port ${port} on 127.0.0.1 is already in use`);
  t.equal(r.stderr.trim().split('\n').length, 1, 'one line');
});

t.test('serve + connect --json: a role reaches ready against a server in another process; Ctrl-C stops it', async (t) => {
  const serve = spawn(process.execPath, [MAIN, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  serve.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 15_000);
    serve.stdout.on('data', () => {
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m && out.includes('entities')) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
  });
  t.match(out, /site "Headquarters" \(seed 2026\): \d+ entities/);
  const r = await inProcess('connect', '--port', String(port), '--scenario', 'scenarios/default-site.yaml', '--json', '--timeout', '20s');
  t.equal(r.status, 0, r.stderr);
  const summary = JSON.parse(r.stdout) as { state: string; counts: Record<string, number>; alarms: number; customEvents: number; syncMs: number };
  t.equal(summary.state, 'ready');
  t.equal(summary.counts.cardholder, 240);
  t.equal(summary.alarms, 5);
  t.equal(summary.customEvents, 12);
  t.type(summary.syncMs, 'number');
  serve.kill('SIGINT');
  const code = await new Promise<number | null>((resolve) => serve.on('exit', resolve));
  t.equal(code, 0, 'Ctrl-C closes cleanly');
  t.match(out, /connection 1 from 127\.0\.0\.1:\d+/);
  t.match(out, /stopped/);
});

t.test('connect to a port nobody listens on: not ready by the timeout, exit 1 with the last error', async (t) => {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  const r = cli('connect', '--port', String(port), '--timeout', '1500ms');
  t.equal(r.status, 1);
  t.match(r.stdout, `ROLE_CONNECT_REFUSED: connection refused on 127.0.0.1:${port}`);
  t.match(r.stdout, 'not ready after 1.5s (state connecting)');
});

t.test('serve --fault: a role recovers from a reset staged from the command line', async (t) => {
  const serve = spawn(process.execPath, [MAIN, 'serve', '--port', '0', '--fault', 'resetAfter:afterBatch=1,type=cardholders,times=1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => serve.kill('SIGKILL'));
  let out = '';
  serve.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 15_000);
    serve.stdout.on('data', () => {
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m && out.includes('entities')) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
  });
  t.match(out, 'faults: reset after batch 1 of cardholders');
  const r = await inProcess('connect', '--port', String(port), '--timeout', '20s');
  t.equal(r.status, 0, r.stderr);
  t.equal(r.stdout.match(/\] connecting$/gm)?.length, 2, 'connected twice: the reset, then the recovery');
  t.match(r.stdout, /\] ready$/m);
  serve.kill('SIGINT');
  t.equal(await new Promise<number | null>((resolve) => serve.on('exit', resolve)), 0, 'stops cleanly');
  t.match(out, /closed: resetAfter/, 'the server logged why it closed the first connection');
});

t.test('serve --fault with a bad spec exits 2 naming it', async (t) => {
  const r = cli('serve', '--port', '0', '--fault', 'latency:ms=abc');
  t.equal(r.status, 2);
  t.match(r.stderr, 'latency');
});
