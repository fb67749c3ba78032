import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import t from 'tap';
import { cliInProcess } from '../helpers/cliInProcess.js';
import { MAIN, userEnv } from '../helpers/cliRun.js';

// Issue 15: `show-trace FILE` opens what `run --trace` wrote; exit codes as its --help says.
const trace = (name: string): string =>
  JSON.stringify({
    format: 'sipass-testbench-trace',
    version: 1,
    scenario: { name, file: `${name}.yaml`, rules: ['R7'], status: 'failed', seed: 1 },
    simulatedMs: 10,
    entries: [{ lane: 'expect', at: 10, index: 0, where: `${name}.yaml:5`, ok: false, expected: { state: 'ready' }, mismatches: [{ what: 'role state', expected: 'ready', actual: 'connecting' }] }],
    omitted: {},
  });

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

t.test('--no-serve writes the viewer page next to the trace and exits 0; a folder takes every trace in it', async (t) => {
  const dir = t.testdir({ 'a.trace.json': trace('Alpha'), traces: { 'b.trace.json': trace('Beta'), 'c.trace.json': trace('Gamma') } });
  const one = await cliInProcess(dir, ['show-trace', 'a.trace.json', '--no-serve']);
  t.equal(one.status, 0, one.stderr);
  t.equal(one.stdout, 'trace viewer page: a.trace.html\n');
  const page = readFileSync(path.join(dir, 'a.trace.html'), 'utf8');
  t.match(page, '<title>trace: Alpha</title>');
  t.notMatch(page, /https?:\/\//, 'self-contained');
  const folder = await cliInProcess(dir, ['show-trace', 'traces', '--no-serve']);
  t.equal(folder.status, 0, folder.stderr);
  t.match(readFileSync(path.join(dir, 'traces/traces.html'), 'utf8'), '<title>2 traces</title>');
});

t.test('a file that is not a trace, or a bad option: exit 2 with one line naming it', async (t) => {
  const dir = t.testdir({ 'x.json': '{"a":1}', 'broken.trace.json': '{' });
  for (const [args, message] of [
    [['show-trace', 'x.json'], 'TRACE_INVALID: x.json: not a sipass-testbench trace'],
    [['show-trace', 'broken.trace.json'], 'TRACE_INVALID: broken.trace.json: not JSON'],
    [['run', '.', '--trace', 'sometimes'], '--trace sometimes: use on, retain-on-failure, off'],
  ] as const) {
    const r = await cliInProcess(dir, [...args]);
    t.equal(r.status, 2, args.join(' '));
    t.match(r.stderr, message);
    t.notMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
  t.notOk(existsSync(path.join(dir, 'x.html')), 'no page for a bad file');
});

t.test('served on 127.0.0.1 at the printed address; Ctrl-C stops it (exit 0)', async (t) => {
  const dir = t.testdir({ 'a.trace.json': trace('Alpha') });
  const child = spawn(process.execPath, [MAIN, 'show-trace', 'a.trace.json'], { cwd: dir, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => child.kill('SIGKILL'));
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address printed: ${out}`)), 30_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /trace viewer on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
  const page = await get(url);
  t.equal(page.status, 200);
  t.match(page.text, '<title>trace: Alpha</title>');
  t.equal((await get(`${url}other`)).status, 404);
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  child.kill('SIGINT');
  t.equal(await exited, 0);
});
