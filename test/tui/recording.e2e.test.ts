/**
 * Recording in the dashboard (issue 15 item 3), in a real terminal: tmux runs
 * `tui`, R starts recording, eleven actions, R saves the scenario; then the
 * saved file validates and runs green, and with the site's alarm recipients
 * changed it fails naming the difference. Every wait is on screen content.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { cliInProcess } from '../helpers/cliInProcess.js';
import { MAIN, NO_TAP, ROOT, childEnv, sleep, tmuxSkip } from '../helpers/tmuxCli.js';

const skip = tmuxSkip;

t.test('a recorded dashboard session of 11 actions: saved, validates, runs green, fails when the recipients change', { skip, timeout: 240_000 }, async (t) => {
  const dir = t.testdir({});
  const file = path.join(dir, 'recordings', 'session.yaml');
  const name = `sipass-rec-${process.pid}-${Date.now().toString(36)}`;
  const exitFile = path.join(os.tmpdir(), `${name}.exit`);
  t.teardown(() => {
    spawnSync('tmux', ['kill-session', '-t', name]);
    rmSync(exitFile, { force: true });
  });
  // Wide, so the key bar has room for the last action's whole outcome line.
  execFileSync('tmux', ['new-session', '-d', '-s', name, '-x', '200', '-y', '50', `${NO_TAP} node ${JSON.stringify(MAIN)} tui --record-to ${JSON.stringify(file)}; echo EXIT=$? > ${exitFile}; sleep 60`], { cwd: ROOT, env: childEnv() });
  const screen = (): string => execFileSync('tmux', ['capture-pane', '-p', '-t', name], { encoding: 'utf8' });
  const status = (s: string): string => s.trimEnd().split('\n').at(-1) ?? '';
  const until = async (what: string, test: (s: string) => boolean, ms = 30_000): Promise<string> => {
    const end = Date.now() + ms;
    let last = '';
    while (Date.now() < end) {
      last = screen();
      if (test(last)) return last;
      await sleep(100);
    }
    throw new Error(`timed out after ${ms}ms waiting for ${what}; screen:\n${last}`);
  };
  /** One key, then its outcome on the key bar. */
  const press = async (key: string, outcome: RegExp): Promise<string> => {
    execFileSync('tmux', ['send-keys', '-t', name, key]);
    return until(`${key} -> ${outcome}`, (s) => outcome.test(status(s)));
  };

  await until('ready', (s) => s.includes('[ready]') && /Custom events +12/.test(s));
  await press('R', /recording: every action from now on/);
  t.match(status(screen()), /REC 0/, 'the key bar shows the recording');
  const raised = (occ: string) => (s: string): boolean => new RegExp(`raised: .*\\(${occ}\\)`).test(s);
  await press('a', /SiPass raised alarm class AC-\S+ \(OCC-1\)/);
  await until('OCC-1 in Security Center', raised('OCC-1'));
  await press('k', /operator acknowledged .* \(OCC-1\) in Security Center/);
  await press('e', /SiPass fired event type ET-1 /);
  await press('a', /\(OCC-2\)/);
  await until('OCC-2 in Security Center', raised('OCC-2'));
  await press('e', /SiPass fired event type ET-2 /);
  await press('c', /SiPass cleared OCC-2/);
  await press('s', /manual sync requested/);
  await until('ready after the manual sync', (s) => s.includes('[ready]') && s.includes('Last manual sync'));
  await press('a', /\(OCC-3\)/);
  await until('OCC-3 in Security Center', raised('OCC-3'));
  await press('k', /operator acknowledged .* \(OCC-3\)/);
  await press('r', /fault: reset 1 connection/);
  await until('ready again after the reset', (s) => s.includes('[ready]') && /Last error: ROLE_CONNECTION/.test(s));
  await press('e', /SiPass fired event type ET-3 /);
  await press('R', /recording saved: 11 actions in \//);
  t.ok(existsSync(file), 'saved where --record-to says');
  execFileSync('tmux', ['send-keys', '-t', name, 'q']);
  await until('the dashboard quit', () => existsSync(exitFile) && readFileSync(exitFile, 'utf8').includes('EXIT=0'));

  const yaml = readFileSync(file, 'utf8');
  const actions = [...yaml.matchAll(/^ {2}- (\w+):/gm)].map((m) => m[1]).filter((k) => k !== 'wait' && k !== 'expect');
  t.same(actions, ['raiseAlarm', 'acknowledge', 'fireEvent', 'raiseAlarm', 'fireEvent', 'clearAlarm', 'manualSync', 'raiseAlarm', 'acknowledge', 'resetConnections', 'fireEvent'], 'the eleven actions, in order');
  t.notMatch(yaml, /^include:/m, 'stands alone: the site is inline');
  t.match(yaml, /^population:/m);
  t.match(yaml, /raiseAlarm:[\s\S]*acknowledge:[\s\S]*fireEvent:[\s\S]*clearAlarm:[\s\S]*manualSync: true[\s\S]*resetConnections: true/);
  t.match(yaml, /- wait: \d+/, 'the waits between actions');
  t.match(yaml, /notified:\n\s+- alice\n\s+- bob\n\s+- carol/, 'who was notified, as observed');

  // The saved file through the CLI's commands, in this process (test/helpers/cliInProcess.ts).
  const cli = (...args: string[]) => cliInProcess(dir, args);
  const valid = await cli('validate', file);
  t.equal(valid.status, 0, `validate passes\n${valid.stdout}${valid.stderr}`);
  const run = await cli('run', file);
  t.equal(run.status, 0, `run passes at once\n${run.stdout}${run.stderr}`);
  t.match(run.stdout, /^PASS {2}Recorded in the dashboard/m);

  // The site's alarm recipients change: the replay fails, naming what differs.
  const changed = path.join(dir, 'recordings', 'changed.yaml');
  writeFileSync(changed, yaml.replace(/(^plugin:[\s\S]*?alarmRecipients:\n\s+- )Guards/m, '$1alice'));
  t.not(readFileSync(changed, 'utf8'), yaml, 'the recipients were changed');
  const fail = await cli('run', changed);
  t.equal(fail.status, 1, 'the changed behaviour fails');
  t.match(fail.stdout, /^FAIL {2}Recorded in the dashboard/m);
  t.match(fail.stdout, /alarm AC-\S+ recipients\n\s+expected: \["Guards"\]\n\s+actual: +\["alice"\]/);
  t.match(fail.stdout, /alarm monitor occurrence OCC-1 notified\n\s+expected: \["alice","bob","carol"\]\n\s+actual: +\["alice"\]/);
});
