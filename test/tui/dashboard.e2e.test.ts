/**
 * The dashboard in a real terminal: tmux at 120x40 runs `tui` on the default
 * site (dist/ is built by `npm test` before tap runs).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { MAIN, NO_TAP, ROOT, childEnv, sleep, tmuxSkip } from '../helpers/tmuxCli.js';

const skip = tmuxSkip;

class Tmux {
  readonly name = `sipass-tui-${process.pid}-${Date.now().toString(36)}`;
  readonly exitFile = path.join(os.tmpdir(), `${this.name}.exit`);

  start(command: string, width = 120, height = 40): void {
    // The CLI runs outside tap's coverage: it is exercised end to end, not measured.
    execFileSync('tmux', ['new-session', '-d', '-s', this.name, '-x', String(width), '-y', String(height), `${NO_TAP} ${command}; echo EXIT=$? > ${this.exitFile}; sleep 60`], {
      cwd: ROOT,
      env: childEnv(),
    });
  }

  screen(): string {
    return execFileSync('tmux', ['capture-pane', '-p', '-t', this.name], { encoding: 'utf8' });
  }

  keys(...keys: string[]): void {
    execFileSync('tmux', ['send-keys', '-t', this.name, ...keys]);
  }

  /** Polls the screen until `test` holds (bounded: `ms`, default 20s). */
  async until(what: string, test: (screen: string) => boolean, ms = 20_000): Promise<string> {
    const end = Date.now() + ms;
    let last = '';
    while (Date.now() < end) {
      last = this.screen();
      if (test(last)) return last;
      // Each look is a tmux process (~5 ms of CPU): ten a second see a state that lasts 0.5 s.
      await sleep(100);
    }
    throw new Error(`timed out after ${ms}ms waiting for ${what}; screen:\n${last}`);
  }

  async exitLine(ms = 20_000): Promise<string> {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (existsSync(this.exitFile)) {
        const s = readFileSync(this.exitFile, 'utf8').trim();
        if (s) return s;
      }
      await sleep(50);
    }
    throw new Error(`the dashboard did not exit within ${ms}ms; screen:\n${this.screen()}`);
  }

  resize(width: number, height: number): void {
    execFileSync('tmux', ['resize-window', '-t', this.name, '-x', String(width), '-y', String(height)]);
  }

  kill(): void {
    spawnSync('tmux', ['kill-session', '-t', this.name]);
    rmSync(this.exitFile, { force: true });
  }
}

/** The Properties pane's Port line (top row, middle pane). */
const portShown = (screen: string): string | undefined => /Port: +(\d+)/.exec(screen)?.[1];

t.test('dashboard in tmux at 120x40: ready, reset, invalid Properties, quit', { skip, timeout: 120_000 }, async (t) => {
  const tm = new Tmux();
  t.teardown(() => tm.kill());
  tm.start(`node ${JSON.stringify(MAIN)} tui --scenario scenarios/default-site.yaml`);

  const ready = await tm.until('ready with the default site counts', (s) => s.includes('[ready]') && /Cardholders +240/.test(s) && /Doors +60/.test(s) && /Custom events +12/.test(s));
  t.match(ready, /Alarms +5/);
  t.match(ready, /Credentials +240/);
  t.match(ready, /SiPass plugin \(612 entities\)/);
  t.match(ready, /Connections: 1/, 'the in-process server pane is shown');
  const port = portShown(ready);
  t.ok(port, 'the Properties pane shows the port');

  // A reset from the fault keys: connecting, then ready again (role timers are real: ~0.5-1s).
  tm.keys('r');
  await tm.until('connecting after the reset', (s) => s.includes('[connecting]'));
  const back = await tm.until('ready again after the reset', (s) => s.includes('[ready]') && s.includes('fault: reset 1 connection'));
  t.match(back, /ROLE_CONNECTION_CLOSED|ROLE_CONNECTION_RESET/, 'the last error names the reset');

  // Properties form: an invalid port is shown in place; nothing is applied.
  tm.keys('p');
  await tm.until('the Properties form', (s) => s.includes('Properties tab') && s.includes('Enter: Apply'));
  tm.keys('Tab', 'C-u');
  tm.keys('-l', '99999');
  tm.keys('Enter');
  const rejected = await tm.until('the port error in place', (s) => s.includes('! Port: "99999" must be a whole number from 1 to 65535'));
  const lines = rejected.split('\n');
  const at = lines.findIndex((l) => l.includes('> Port:') && l.includes('[99999_]'));
  t.ok(at >= 0, 'the Port field holds what was typed');
  t.match(lines[at + 1], /! Port: "99999" must be a whole number/, 'the error sits right under the Port field');
  t.match(rejected, /Apply rejected, nothing changed \(1 problem\)/);
  tm.keys('Escape');
  const after = await tm.until('the form closed', (s) => !s.includes('Properties tab'));
  t.equal(portShown(after), port, 'the role keeps its port');
  t.ok(after.includes('[ready]'), 'the role is untouched: still ready');

  await sleep(150); // let the Escape stand alone (no Meta- prefix for the next key)
  tm.keys('q');
  t.equal(await tm.exitLine(), 'EXIT=0', 'q quits with exit code 0');
  const final = tm.screen();
  t.match(final, /role ready/, 'the terminal is restored and the summary printed');
});

t.test('dashboard at 80x24, resized to 120x40 and back: redrawn whole each time, then quits', { skip, timeout: 120_000 }, async (t) => {
  const tm = new Tmux();
  t.teardown(() => tm.kill());
  tm.start(`node ${JSON.stringify(MAIN)} tui --scenario scenarios/default-site.yaml`, 80, 24);
  /** A whole frame: the state pane on top, the key bar on the last line, nothing wider than the terminal. */
  const whole = (s: string, width: number, height: number): boolean => {
    const lines = s.replace(/\n$/, '').split('\n');
    return lines.length === height && lines.every((l) => [...l].length <= width) && (lines[0] ?? '').includes('Role state') && (lines[height - 1] ?? '').includes('? help');
  };
  const small = await tm.until('ready at 80x24', (s) => s.includes('[ready]') && whole(s, 80, 24));
  t.ok(whole(small, 80, 24), 'a whole frame at 80x24');
  // The Properties pane's Host and Port rows are whole: no title wrapped over them, nothing clipped.
  const rows = small.split('\n');
  const listening = /Listening: 127\.0\.0\.1:(\d+)/.exec(small)?.[1];
  t.ok(listening, `the server pane shows its whole address\n${small}`);
  t.match(rows[1], /xx(Host: +127\.0\.0\.1) +xx/, 'the Host row is whole, right under the pane title');
  t.match(rows[2], new RegExp(`xx(Port: +${listening}) +xx`), 'the Port row is whole and names the port the server listens on');
  t.ok(!rows[1]?.includes('…') && !rows[2]?.includes('…'), 'no ellipsis on the Host and Port rows');
  for (const [i, line] of rows.entries()) t.notMatch(line, /^x[^x]*edit\)/, `row ${i}: no pane title wrapped into a pane`);
  // The rows a user reads are whole: nothing in a pane is cut with "…" (long lines wrap, long panes scroll).
  const panesOnly = rows.slice(0, 23);
  t.same(
    panesOnly.filter((l) => l.includes('…')),
    [],
    `no pane row is cut at 80x24\n${small}`,
  );
  t.match(small, /\+ Cardholders +240 +x/, 'entity-browser counts whole');
  t.match(small, /\+ Credentials +240 +x/);
  t.match(small, /cardholders +#+ +240\/240 +100% +x/, 'sync rows whole: type, bar, counts, percent');
  t.match(small, /alarmClasses +#+ +5\/5 +100% +x/);
  t.match(small, /Duress \(pri 1\) to Guards in Headquarters/, 'alarm recipients and partitions whole');
  t.match(small, /Diag: 4523, web 6024/, "the proxy's diagnostic ports (R15) in the server pane");
  t.match(small, /State: ready {2}health ok/);
  t.match(small, /Attempt: 0 {3}Next retry: -/);
  tm.resize(120, 40);
  const big = await tm.until('redrawn at 120x40', (s) => whole(s, 120, 40) && /Cardholders +240/.test(s));
  t.match(big, /\[ready\]/, 'still ready after the resize');
  tm.resize(80, 24);
  const again = await tm.until('redrawn at 80x24 again', (s) => whole(s, 80, 24) && s.includes('[ready]'));
  t.ok(whole(again, 80, 24), 'no leftovers of the larger frame');
  tm.keys('q');
  t.equal(await tm.exitLine(), 'EXIT=0', 'q quits with exit code 0');
});

t.test('not a terminal: plain line log, exits after ready with --exit-when-ready', { skip: existsSync(MAIN) ? false : 'dist/ is not built' }, async (t) => {
  const r = spawnSync('/bin/sh', ['-c', `${NO_TAP} ${JSON.stringify(process.execPath)} ${JSON.stringify(MAIN)} tui --exit-when-ready | cat`], { cwd: ROOT, env: childEnv(), encoding: 'utf8', timeout: 30_000 });
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /server fake SiPass server listening on 127\.0\.0\.1:\d+/);
  t.match(r.stdout, /state {2}connecting \(connecting\.dialing\)/);
  t.match(r.stdout, /state {2}ready \(ready\)/);
  t.match(r.stdout, /sync {3}full sync done: 665 SiPass entities/);
  t.match(r.stdout, /^ready: Alarms 5, Cardholders 240/m);
  t.notOk(r.stdout.includes('\u001b['), 'no escape sequences');
});

t.test('not a terminal: --exit-when-ready --timeout ends with one clear line and exit 1 when never ready', { skip: existsSync(MAIN) ? false : 'dist/ is not built' }, async (t) => {
  // A port nothing listens on (taken from the OS, then closed): the role stays connecting.
  const { createServer } = await import('node:net');
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const closed = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const r = spawnSync(process.execPath, [MAIN, 'tui', '--port', String(closed), '--exit-when-ready', '--timeout', '2s'], { cwd: ROOT, env: childEnv(), encoding: 'utf8', timeout: 60_000 });
  t.equal(r.status, 1, `exit 1: not ready by the timeout\n${r.stdout}${r.stderr}`);
  t.match(r.stderr, new RegExp(`^tui: not ready after 2\\.00s \\(state connecting\\); last error ROLE_CONNECT_REFUSED: .*127\\.0\\.0\\.1:${closed}`, 'm'));
  t.equal(r.stderr.trim().split('\n').length, 1, 'one line on stderr, no stack trace');
  t.match(r.stdout, /state {2}connecting/, 'the plain log ran until then');

  const usage = spawnSync(process.execPath, [MAIN, 'tui', '--timeout', '2s'], { cwd: ROOT, env: childEnv(), encoding: 'utf8', timeout: 30_000 });
  t.equal(usage.status, 2, '--timeout without --exit-when-ready is a usage error');
  t.match(usage.stderr, '--timeout goes with --exit-when-ready');
});

t.test('attach mode: a role against a server started with `serve`, plain log until ready', { skip: existsSync(MAIN) ? false : 'dist/ is not built' }, async (t) => {
  const { spawn } = await import('node:child_process');
  const serve = spawn('/bin/sh', ['-c', `exec ${NO_TAP} ${JSON.stringify(process.execPath)} ${JSON.stringify(MAIN)} serve --port 0`], { cwd: ROOT, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => serve.kill('SIGKILL'));
  let out = '';
  serve.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const end = Date.now() + 15_000;
  while (!/listening on 127\.0\.0\.1:(\d+)/.test(out) && Date.now() < end) await sleep(50);
  const port = /listening on 127\.0\.0\.1:(\d+)/.exec(out)?.[1];
  t.ok(port, 'serve is listening');
  const r = spawnSync('/bin/sh', ['-c', `${NO_TAP} ${JSON.stringify(process.execPath)} ${JSON.stringify(MAIN)} tui --port ${port} --exit-when-ready | cat`], { cwd: ROOT, env: childEnv(), encoding: 'utf8', timeout: 30_000 });
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /state {2}ready \(ready\)/);
  t.match(r.stdout, /Cardholders 240/);
  t.notMatch(r.stdout, /fake SiPass server listening/, 'no in-process server in attach mode');
});
