import type { Command } from '../command.js';

/**
 * One subcommand as `--help` lists it. The module behind it is imported only
 * when the command runs (or its help is asked for): a bare `--help` must not
 * pay for xstate, blessed or the bench (README "Start-up time").
 */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

/** Every subcommand, in the order `--help` lists them. */
export const COMMANDS: CommandEntry[] = [
  { name: 'run', summary: 'Run scenario suites and report pass/fail (terminal, TAP, JUnit XML, JSON, HTML with traces)', load: async () => (await import('./run.js')).runCommand },
  { name: 'show-trace', summary: 'Open traces written by run --trace in a self-contained viewer page (served on loopback)', load: async () => (await import('./showTrace.js')).showTraceCommand },
  { name: 'validate', summary: 'Check scenario files and report every problem as file:line:column', load: async () => (await import('./validate.js')).validateCommand },
  { name: 'serve', summary: "Start the fake SiPass server (proxy service) on a scenario's site", load: async () => (await import('./serve.js')).serveCommand },
  { name: 'connect', summary: 'Run a headless plugin role against a SiPass server until it is ready', load: async () => (await import('./connect.js')).connectCommand },
  { name: 'control', summary: 'Drive a running serve through its control channel: raise alarms and events, ack, reset, stats', load: async () => (await import('./control.js')).controlCommand },
  { name: 'bench', summary: 'Benchmark full sync (10k..1M entities) and the live stream, against the wire limit', load: async () => (await import('./bench.js')).benchCommand },
  { name: 'tui', summary: 'Live dashboard: the fake server and a plugin role, with faults at a key press', load: async () => (await import('./tui.js')).tuiCommand },
];
