import { RealClock } from '../../core/clock.js';
import { parseDuration } from '../../core/duration.js';
import { loadScenario } from '../../harness/scenario/loadScenario.js';
import type { ConfigInput } from '../../plugin/config/pluginConfig.js';
import type { RoleNotice } from '../../plugin/pluginRole.js';
import { SecurityCenter } from '../../plugin/securitycenter/securityCenter.js';
import { createPluginRole } from '../../plugin/createPluginRole.js';
import { ApplyRejectedError } from '../../plugin/config/configProblem.js';
import type { Command } from '../command.js';
import { LiveTally } from '../liveTally.js';
import { onStopSignal, SIGNAL_EXIT_CODES } from '../stopSignal.js';
import { durationOption, hostOption, listOption, optString, parseOptions, portOption } from '../parseOptions.js';

export const connectCommand: Command = {
  name: 'connect',
  summary: 'Run a headless plugin role against a SiPass server until it is ready',
  usage: `Usage: sipass-testbench connect [--host H] [--port P] [options]

Creates the SiPass plugin role, applies its Properties tab and runs it until
it is ready, printing each state change.

Options:
  --host HOST          SiPass server host (default 127.0.0.1, or the scenario's plugin.host)
  --port PORT          SiPass server port (default 5645, or the scenario's plugin.port)
  --scenario FILE      take the Security Center directory and Properties tab (host, port,
                       recipients, partitions, credential sync) from a scenario or site file;
                       explicit flags override the file
  --recipients a,b     alarm recipients (users or user groups)
  --partitions p,q     alarm partitions
  --credentials        enable credential sync
  --timeout 30s        give up when not ready by then (default 30s)
  --json               print one summary object instead of the log
  --stay               once ready, keep running (live alarms, events, acknowledgements) until
                       SIGINT/SIGTERM, then print the summary with what arrived live

Without --scenario, the directory holds the users and partitions named here.
SIGINT (Ctrl-C) or SIGTERM at any point prints the summary (JSON with --json) with the
state reached and closes the connection.
Exit codes: 0 ready, 1 not ready by the timeout (with the last error), 2 bad arguments,
130 stopped by SIGINT, 143 stopped by SIGTERM.`,
  async run(argv) {
    const { values } = parseOptions(argv, {
      host: { type: 'string' },
      port: { type: 'string' },
      scenario: { type: 'string' },
      recipients: { type: 'string' },
      partitions: { type: 'string' },
      credentials: { type: 'boolean' },
      timeout: { type: 'string' },
      json: { type: 'boolean' },
      stay: { type: 'boolean' },
    });
    const timeoutMs = durationOption('timeout', optString(values.timeout), parseDuration('30s'));
    const recipients = listOption(optString(values.recipients));
    const partitions = listOption(optString(values.partitions));
    const json = values.json === true;
    const sc = new SecurityCenter();
    let input: ConfigInput = {};
    // Without a scenario: 127.0.0.1:5645. With one: its Properties tab (plugin.host/plugin.port),
    // else the server it describes, as the scenario runner does. Explicit flags override either.
    let fileHost = '127.0.0.1';
    let filePort = 5645;
    let roleName = 'SiPass plugin';
    const scenarioFile = optString(values.scenario);
    if (scenarioFile) {
      const s = await loadScenario(scenarioFile, { allowSite: true });
      sc.populate({ ...s.securityCenter, alarms: [] });
      roleName = s.securityCenter.role ?? roleName;
      input = { ...s.plugin };
      fileHost = typeof s.plugin?.host === 'string' ? s.plugin.host : s.server.host;
      filePort = typeof s.plugin?.port === 'number' ? s.plugin.port : s.server.port;
    } else {
      for (const u of recipients ?? []) sc.directory.addUser(u);
      for (const p of partitions ?? []) sc.directory.addPartition(p);
    }
    const host = hostOption(optString(values.host), fileHost);
    const port = portOption(optString(values.port), filePort);
    const clock = new RealClock();
    const role = createPluginRole(sc, roleName, { clock });
    const tally = new LiveTally(sc, role);
    const t0 = Date.now();
    const stamp = (): string => `[+${((Date.now() - t0) / 1000).toFixed(3)}s]`;
    if (!json) {
      role.on('notice', (n: RoleNotice) => {
        if (n.kind === 'state') console.log(`${stamp()} ${n.state}`);
        else if (n.kind === 'error') console.log(`${stamp()} ${n.error.code}: ${n.error.message}`);
        else if (n.kind === 'syncDone') console.log(`${stamp()} full sync done: ${n.total} SiPass entities in ${(n.ms / 1000).toFixed(2)}s`);
      });
    }
    // A signal ends the wait (or the stay) at once; the summary still goes out (issue 11). Taken
    // before the role dials, so a signal is never the default "die at once".
    const stopped = onStopSignal();
    try {
      role.apply({
        ...input,
        host,
        port,
        ...(recipients ? { alarmRecipients: recipients } : {}),
        ...(partitions ? { alarmPartitions: partitions } : {}),
        ...(values.credentials === true ? { credentialSync: true } : {}),
      });
    } catch (e) {
      role.stop();
      stopped.dispose();
      if (e instanceof ApplyRejectedError) {
        console.error(e.message);
        return 2;
      }
      throw e;
    }
    let ready = true;
    try {
      const readyOrTimeout = role.waitFor('ready', timeoutMs);
      readyOrTimeout.catch(() => undefined); // a signal may win the race
      await Promise.race([readyOrTimeout, stopped.promise]);
      if (values.stay === true && stopped.signal === undefined) await stopped.promise;
    } catch {
      ready = false;
    }
    stopped.dispose();
    const signal = stopped.signal;
    const s = role.snapshot();
    role.stop();
    clock.clearAll();
    if (json) {
      console.log(
        JSON.stringify({
          ...(signal ? { signal } : {}),
          state: s.state,
          counts: s.counts,
          alarms: s.counts.alarm,
          customEvents: s.counts.customEvent,
          connectedTo: s.connectedTo ?? `${host}:${port}`,
          syncMs: s.lastSync ? s.lastSync.endedAt - s.lastSync.startedAt : null,
          digest: s.digest,
          lastError: s.lastError,
          live: tally.counts(),
        }),
      );
    } else if (signal) {
      const live = tally.counts();
      console.log(
        `${stamp()} ${signal}: stopped in state ${s.state}; live: ${live.alarms.raised} alarms (${live.alarms.duplicates} duplicates, ${live.alarms.retriggers} retriggers), ` +
          `${live.events.fired} events (${live.events.duplicates} duplicates), ${live.acknowledged} acknowledged${s.lastError ? `; last error ${s.lastError.code}: ${s.lastError.message}` : ''}`,
      );
    } else if (ready) {
      console.log(`${stamp()} ready: ${Object.entries(s.counts).filter(([, n]) => n > 0).map(([t, n]) => `${t} ${n}`).join(', ')}`);
    } else {
      console.log(`${stamp()} not ready after ${timeoutMs / 1000}s (state ${s.state})${s.lastError ? `; last error ${s.lastError.code}: ${s.lastError.message}` : ''}`);
    }
    if (signal) return SIGNAL_EXIT_CODES[signal];
    return ready ? 0 : 1;
  },
};
