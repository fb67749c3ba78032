import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { chooseDiagnosticsPort } from '../../cli/commands/serve.js';

// Issue 15: `serve --diagnostics PORT` prints where the page is; port 0 = any free port.
const MAIN = 'dist/cli/main.js';

function get(url: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      })
      .on('error', reject);
  });
}

t.test('serve --diagnostics 0: the page is served on a printed loopback port; Ctrl-C stops both', async (t) => {
  const serve = spawn(process.execPath, [MAIN, 'serve', '--port', '0', '--diagnostics', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => serve.kill('SIGKILL'));
  let out = '';
  let err = '';
  serve.stdout.on('data', (d: Buffer) => (out += d.toString()));
  serve.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}${err}`)), 20_000);
    serve.stdout.on('data', () => {
      const m = /diagnostic page on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m?.[1] && out.includes('entities')) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
  const page = await get(url);
  t.equal(page.status, 200);
  t.match(page.text, /<title>SiPass proxy diagnostics<\/title>/);
  const snap = JSON.parse((await get(`${url}snapshot`)).text) as { site: { name: string; total: number } };
  t.has(snap.site, { name: 'Headquarters', total: 665 }, 'the served site');
  t.equal(err, '', 'no warning on loopback');
  serve.kill('SIGINT');
  t.equal(await new Promise<number | null>((resolve) => serve.on('exit', resolve)), 0, 'stops cleanly');
});

t.test('serve --diagnostics with a bad port exits 2 naming it', async (t) => {
  const r = spawnSync(process.execPath, [MAIN, 'serve', '--port', '0', '--diagnostics', 'abc'], { encoding: 'utf8', timeout: 30_000 });
  t.equal(r.status, 2);
  t.match(r.stderr, /--diagnostics "abc"/);
  t.notMatch(r.stderr, /\n\s+at /, 'no stack trace');
});

t.test('serve --scenario FILE --diagnostics (no PORT): the port is the scenario server.diagnosticWebPort; an explicit PORT wins', async (t) => {
  // A free loopback port for the scenario to name (the page must open exactly there).
  const free = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'serve-diag-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'site.yaml');
  writeFileSync(file, `name: diagnostics port\nserver:\n  diagnosticWebPort: ${free}\npopulation:\n  seed: 1\n  cardholders: 5\n`);
  const serve = spawn(process.execPath, [MAIN, 'serve', '--scenario', file, '--port', '0', '--diagnostics'], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => serve.kill('SIGKILL'));
  let out = '';
  serve.stdout.on('data', (d: Buffer) => (out += d.toString()));
  serve.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => {
    // One Ctrl-C: a second one (sent on the "stopped" line) kills serve by the signal, as it would a user's.
    let interrupted = false;
    serve.stdout.on('data', () => {
      if (!interrupted && out.includes('entities')) {
        interrupted = true;
        serve.kill('SIGINT');
      }
    });
    serve.on('exit', resolve);
  });
  t.match(out, `diagnostic page on http://127.0.0.1:${free}/`, "the scenario's port");
  t.equal(code, 0);
  t.equal(chooseDiagnosticsPort('from-scenario', 6100), 6100, 'bare --diagnostics: the scenario port');
  t.equal(chooseDiagnosticsPort('from-scenario', undefined), 6024, 'bare --diagnostics, no scenario port: 6024 (R15)');
  t.equal(chooseDiagnosticsPort('7000', 6100), 7000, 'an explicit PORT overrides the scenario');
  t.equal(chooseDiagnosticsPort(undefined, 6100), undefined, 'no --diagnostics: no page');
});
