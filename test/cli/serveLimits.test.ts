/**
 * `serve`'s limits from the command line, against the built CLI in a child process: the
 * exposure warning, the flags, and the memory 50 partial-frame peers can take (measured on the
 * server process: /proc/<pid>/status on Linux, and the control channel's statistics).
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import t from 'tap';
import { WirePeer } from '../../fuzz/wirePeer.js';
import { HEADER_SIZE, MAGIC_0, MAGIC_1 } from '../../protocol/version.js';

const MAIN = 'dist/cli/main.js';
const MiB = 1024 * 1024;

interface Served {
  child: ChildProcessWithoutNullStreams;
  out: () => string;
  err: () => string;
  port: number;
  control: string | undefined;
}

type TapTest = Parameters<NonNullable<Parameters<typeof t.test>[0]>>[0];

async function serve(t: TapTest, ...args: string[]): Promise<Served> {
  const child = spawn(process.execPath, [MAIN, 'serve', '--port', '0', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}${err}`)), 30_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (?:\[[^\]]+\]|[^:\s]+):(\d+)/.exec(out);
      if (m && out.includes('entities')) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}${err}`)));
  });
  const control = /control channel on (http:\/\/\S+)/.exec(out)?.[1];
  return { child, out: () => out, err: () => err, port, control };
}

async function stop(s: Served): Promise<number | null> {
  s.child.kill('SIGINT');
  return s.child.exitCode ?? new Promise((resolve) => s.child.once('exit', resolve));
}

t.test('--host 0.0.0.0 warns that the server is unauthenticated and serves personal data', async (t) => {
  // Port 0 on every interface for a moment; nothing connects to it (only loopback is ever used here).
  const s = await serve(t, '--host', '0.0.0.0');
  await new Promise((r) => setTimeout(r, 100));
  t.equal(await stop(s), 0);
  t.match(s.err(), /WARNING: listening on 0\.0\.0\.0:\d+, reachable from every network interface/);
  t.match(s.err(), 'unauthenticated');
  t.match(s.err(), 'cardholder names, card numbers');
});

t.test('loopback: no warning; the limits are printed', async (t) => {
  const s = await serve(t, '--handshake-timeout', '3s', '--max-input', '16KiB', '--max-connections', '20');
  t.equal(await stop(s), 0);
  t.equal(s.err(), '');
  t.match(s.out(), 'limits: handshake 3s, idle 45s, input 16 KiB, output 8 MiB, connections 20');
});

t.test('bad limit flags exit 2 naming the flag', async (t) => {
  for (const [flag, value] of [
    ['--max-input', 'lots'],
    ['--idle-timeout', 'soon'],
    ['--max-connections', 'many'],
    ['--control', 'nowhere'],
  ] as const) {
    const r = spawnSync(process.execPath, [MAIN, 'serve', '--port', '0', flag, value], { encoding: 'utf8', timeout: 30_000 });
    t.equal(r.status, 2, `${flag} ${value}`);
    t.match(r.stderr, `${flag} "${value}"`);
  }
  const r = spawnSync(process.execPath, [MAIN, 'serve', '--port', '0', '--control', '0.0.0.0:0'], { encoding: 'utf8', timeout: 30_000 });
  t.equal(r.status, 2, 'the control channel is loopback only');
  t.match(r.stderr, 'CONTROL_NOT_LOOPBACK');
});

/** VmRSS and VmHWM (peak) of a process in bytes, on Linux. */
function procMemory(pid: number): { rss: number; peak: number } | undefined {
  const file = `/proc/${pid}/status`;
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const kib = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1024;
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

interface ControlStats {
  connections: number;
  bufferedIn: number;
  limitHits: Record<string, number>;
  process: { rss: number; maxRss: number };
}

async function controlStats(url: string): Promise<ControlStats> {
  const r = await fetch(`${url}/stats`);
  return (await r.json()) as ControlStats;
}

t.test('50 peers each sending a 4 MiB-minus-one partial frame: the server RSS stays bounded', async (t) => {
  const PEERS = 50;
  /** The stated bound: what 50 such peers may add to the server's resident memory. */
  const BOUND = 64 * MiB;
  const s = await serve(t, '--control', '127.0.0.1:0');
  const pid = s.child.pid ?? 0;
  t.ok(s.control, 'the control channel is open');
  const before = await controlStats(s.control ?? '');
  const beforeProc = procMemory(pid);
  const header = Buffer.alloc(HEADER_SIZE);
  header[0] = MAGIC_0;
  header[1] = MAGIC_1;
  header.writeUInt32BE(4 * MiB - 1, 2);
  const body = Buffer.alloc(4 * MiB - 2, 0x20); // one byte short of a whole frame
  const peers = await Promise.all(Array.from({ length: PEERS }, () => WirePeer.connect(s.port)));
  t.teardown(() => {
    for (const p of peers) p.destroy();
  });
  for (const p of peers) {
    p.write(header);
    p.write(body);
  }
  // Each is refused at its header (the input cap, 64 KiB); what it still sends is read and dropped.
  await Promise.all(peers.map((p) => p.done));
  const after = await controlStats(s.control ?? '');
  const afterProc = procMemory(pid);
  t.equal(after.limitHits.inputCap, PEERS, 'every peer hit the input cap');
  t.equal(after.connections, 0, 'and was closed');
  t.ok(after.bufferedIn <= PEERS * 64 * 1024, `buffered input never above the caps (${after.bufferedIn} bytes now)`);
  const growth = after.process.maxRss - before.process.rss;
  t.comment(`server RSS before ${(before.process.rss / MiB).toFixed(1)} MiB, peak ${(after.process.maxRss / MiB).toFixed(1)} MiB, now ${(after.process.rss / MiB).toFixed(1)} MiB`);
  if (beforeProc && afterProc) {
    t.comment(`/proc: VmRSS before ${(beforeProc.rss / MiB).toFixed(1)} MiB, VmHWM ${(afterProc.peak / MiB).toFixed(1)} MiB`);
    t.ok(afterProc.peak - beforeProc.rss < BOUND, `peak RSS growth ${((afterProc.peak - beforeProc.rss) / MiB).toFixed(1)} MiB < ${BOUND / MiB} MiB (/proc)`);
  }
  t.ok(growth < BOUND, `peak RSS growth ${(growth / MiB).toFixed(1)} MiB < ${BOUND / MiB} MiB (about 6.5 MiB per peer before the cap)`);
  t.equal(await stop(s), 0);
});
