import { startDashboard } from '../../tui/startDashboard.js';
import type { Command } from '../command.js';
import { UsageError } from '../command.js';
import { DEFAULT_SITE } from '../packageRoot.js';
import { parseDuration } from '../../core/duration.js';
import { durationOption, hostOption, optString, parseOptions, portOption } from '../parseOptions.js';

export const tuiCommand: Command = {
  name: 'tui',
  summary: 'Live dashboard: the fake server and a plugin role, with faults at a key press',
  usage: `Usage: sipass-testbench tui [--scenario FILE] [--host H --port P] [--exit-when-ready [--timeout 60s]]

Opens a live dashboard in the terminal: the role's state machine, its
Properties tab, sync progress, the entity browser, alarms, the event log and
(in-process) the server with its faults. Press ? for every key, q to quit.

By default it starts the fake SiPass server on the scenario's site (the
bundled scenarios/default-site.yaml) on 127.0.0.1 with a free port, and a
role against it. With --host/--port it attaches a role to a server already
running (started with \`serve\`); server faults are then disabled.

When stdout is not a terminal (piped, CI) it prints a plain line log of the
same events instead, until the role is ready (--exit-when-ready) or Ctrl-C.

Options:
  --scenario FILE     site, Security Center directory and Properties tab (default: the bundled site)
  --host HOST         attach to the SiPass server on HOST (needs --port)
  --port PORT         attach to the SiPass server on PORT (host defaults to 127.0.0.1)
  --sync-rate N       in-process server streams syncs at N entities/s (default: the scenario's)
  --exit-when-ready   quit as soon as the role is ready (exit 0)
  --timeout 60s       with --exit-when-ready: give up when not ready by then (default 60s; exit 1)
  --record-to FILE    where R (record) saves the scenario (default recordings/dashboard-<time>.yaml)

Exit codes: 0 quit (or ready with --exit-when-ready), 1 not ready by the --timeout
(one line on stderr with the state and last error), 2 bad arguments.`,
  async run(argv) {
    const { values } = parseOptions(argv, {
      scenario: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      'sync-rate': { type: 'string' },
      'exit-when-ready': { type: 'boolean' },
      timeout: { type: 'string' },
      'record-to': { type: 'string' },
    });
    const exitWhenReady = values['exit-when-ready'] === true;
    const timeoutArg = optString(values.timeout);
    if (timeoutArg !== undefined && !exitWhenReady) throw new UsageError('--timeout goes with --exit-when-ready (the dashboard otherwise runs until q)');
    const readyTimeoutMs = durationOption('timeout', timeoutArg, parseDuration('60s'));
    const hostArg = optString(values.host);
    const portArg = optString(values.port);
    if (hostArg !== undefined && portArg === undefined) throw new UsageError('--host needs --port (the port of the server started with `serve`)');
    const attach = portArg !== undefined ? { host: hostOption(hostArg, '127.0.0.1'), port: portOption(portArg, 5645) } : undefined;
    const rateArg = optString(values['sync-rate']);
    let syncRate: number | undefined;
    if (rateArg !== undefined) {
      syncRate = Number(rateArg);
      if (!Number.isFinite(syncRate) || syncRate < 0) throw new UsageError(`--sync-rate ${JSON.stringify(rateArg)} is not a number of entities per second`);
    }
    return startDashboard({
      scenarioFile: optString(values.scenario) ?? DEFAULT_SITE,
      exitWhenReady,
      readyTimeoutMs,
      ...(attach ? { attach } : {}),
      ...(syncRate !== undefined ? { syncRate } : {}),
      ...(optString(values['record-to']) !== undefined ? { recordTo: optString(values['record-to']) } : {}),
    });
  },
};
