import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { cliInProcess } from '../helpers/cliInProcess.js';

// Issue 12 item 7: `serve --scenario` takes server.port, `connect --scenario` takes the Properties
// tab's host/port, explicit flags override, and a site-only file is servable and valid.
const MAIN = 'dist/cli/main.js';

/** A port nothing listens on right now: listen on 0, note it, close. */
async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function serve(...args: string[]): { child: ChildProcessWithoutNullStreams; listening: Promise<number>; output: () => string } {
  const child = spawn(process.execPath, [MAIN, 'serve', ...args], { stdio: 'pipe' });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const listening = new Promise<number>((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`serve exited ${String(code)}: ${out}`)));
    child.stdout.on('data', () => {
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m && out.includes('entities')) resolve(Number(m[1]));
    });
  });
  return { child, listening, output: () => out };
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'sipass-cli-'));
const siteFile = (port: number): string => {
  const f = path.join(dir, `site-${port}.yaml`);
  writeFileSync(f, `# a site-only file: no steps\nserver: { port: ${port}, diagnosticPort: 4530, diagnosticWebPort: 6100 }\npopulation:\n  seed: 3\n  name: Site only\n  cardholders: 5\n  doorsets: 2\n  eventTypes: 3\n`);
  return f;
};

t.test('a site-only file is valid as a site and servable on its server.port', async (t) => {
  const port = await freePort();
  const file = siteFile(port);
  const v = await cliInProcess('.', ['validate', file]);
  t.equal(v.status, 0, v.stdout + v.stderr);
  t.match(v.stdout, '1 valid, 0 invalid');
  const s = serve('--scenario', file);
  t.teardown(() => s.child.kill('SIGINT'));
  t.equal(await s.listening, port, 'listens on the file\'s server.port');
  t.match(s.output(), 'site "Site only" (seed 3): 10 entities');
  t.match(s.output(), 'diagnostic server port 4530, diagnostic web interface port 6100 (R15, from the site file)', 'prints the site\'s diagnostic ports');
});

t.test('serve --port overrides the file\'s server.port', async (t) => {
  const filePort = await freePort();
  const s = serve('--scenario', siteFile(filePort), '--port', '0');
  t.teardown(() => s.child.kill('SIGINT'));
  const port = await s.listening;
  t.not(port, filePort, 'an explicit --port 0 takes any free port, not the file\'s');
});

t.test('a site file is still not a runnable scenario: run names the cause', async (t) => {
  const r = await cliInProcess('.', ['run', siteFile(await freePort())]);
  t.equal(r.status, 2);
  t.match(r.stderr, 'a site file (population:, no steps:) can be served, not run');
});

t.test('connect --scenario connects on the port the file names; --port overrides it', async (t) => {
  const s = serve('--port', '0');
  t.teardown(() => s.child.kill('SIGINT'));
  const port = await s.listening;
  const file = path.join(dir, 'role.yaml');
  writeFileSync(file, `name: role on a named port\nsecurityCenter: { users: [alice] }\nplugin: { host: 127.0.0.1, port: ${port}, alarmRecipients: [alice] }\nsteps: [{ wait: 1s }]\n`);
  const r = await cliInProcess('.', ['connect', '--scenario', file, '--json', '--timeout', '20s']);
  t.equal(r.status, 0, r.stdout + r.stderr);
  const summary = JSON.parse(r.stdout) as { state: string; connectedTo: string };
  t.equal(summary.state, 'ready');
  t.equal(summary.connectedTo, `127.0.0.1:${port}`);
  const other = await freePort();
  const o = await cliInProcess('.', ['connect', '--scenario', file, '--port', String(other), '--json', '--timeout', '1s']);
  t.equal(o.status, 1, 'nothing listens on the overriding port');
  const refused = JSON.parse(o.stdout) as { state: string; connectedTo: string; lastError: { code: string; message: string } };
  t.equal(refused.lastError.code, 'ROLE_CONNECT_REFUSED');
  t.match(refused.lastError.message, `127.0.0.1:${other}`);
});
