/**
 * `connect` and signals (issue 11): SIGINT/SIGTERM print the summary with the state reached and
 * exit 130/143; and the shell-only exactly-once check, small (scripts/exactly-once.sh).
 */
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import t from 'tap';

const MAIN = 'dist/cli/main.js';

type TapTest = Parameters<NonNullable<Parameters<typeof t.test>[0]>>[0];

async function signalled(t: TapTest, signal: 'SIGINT' | 'SIGTERM', json: boolean): Promise<{ code: number | null; out: string }> {
  // A peer that accepts and never answers: the role stays in its handshake.
  const sockets: net.Socket[] = [];
  const mute = net.createServer((s) => sockets.push(s));
  await new Promise<void>((r) => mute.listen(0, '127.0.0.1', r));
  t.teardown(() => {
    for (const s of sockets) s.destroy();
    mute.close();
  });
  const port = (mute.address() as net.AddressInfo).port;
  const child = spawn(process.execPath, [MAIN, 'connect', '--port', String(port), '--timeout', '120s', ...(json ? ['--json'] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise<void>((resolve) => mute.once('connection', () => resolve()));
  child.kill(signal);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  return { code, out };
}

t.test('SIGINT on connect --json prints one JSON line with the state reached and exits 130', async (t) => {
  const { code, out } = await signalled(t, 'SIGINT', true);
  t.equal(code, 130);
  const lines = out.trim().split('\n');
  t.equal(lines.length, 1, 'one line');
  const summary = JSON.parse(lines[0] ?? '') as { signal: string; state: string; live: { alarms: { raised: number } } };
  t.equal(summary.signal, 'SIGINT');
  t.equal(summary.state, 'connecting', 'the state reached: still in the handshake');
  t.equal(summary.live.alarms.raised, 0);
});

t.test('SIGTERM on connect exits 143 with a summary line', async (t) => {
  const { code, out } = await signalled(t, 'SIGTERM', false);
  t.equal(code, 143);
  t.match(out, /SIGTERM: stopped in state connecting; live: 0 alarms/);
});

t.test('exactly once from the shell: alarms and events through the control channel, resets meanwhile', async (t) => {
  const r = spawnSync('bash', ['scripts/exactly-once.sh', '300', 'resetAfter:frames=150,times=2'], { encoding: 'utf8', timeout: 240_000, env: { ...process.env, RATE: '1000' } });
  t.equal(r.status, 0, r.stdout + r.stderr);
  t.match(r.stdout, 'exactly once: 300 alarms and 300 events, none doubled');
  t.match(r.stdout, /connect exited 130 after [12] connection resets/);
  t.comment(r.stdout.trim().split('\n').join(' | '));
});
