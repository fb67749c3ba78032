import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import t from 'tap';

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
