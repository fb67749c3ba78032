/**
 * TEST-ONLY: `SIPASS_TESTBENCH_HOLD=<text>` keeps every scenario whose name
 * contains <text> running in wall time until the process is stopped, so the
 * signal tests stop a suite mid-scenario on cue instead of racing a slow one.
 * Unset (always, outside those tests) it costs nothing.
 */
export async function holdIfAsked(scenarioName: string): Promise<void> {
  const hold = process.env.SIPASS_TESTBENCH_HOLD;
  if (!hold || !scenarioName.includes(hold)) return;
  // An interval keeps the event loop alive: the process ends only by a signal.
  await new Promise<never>(() => setInterval(() => undefined, 60_000));
}
