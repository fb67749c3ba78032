/**
 * `tui` when stdout is not a terminal (piped, CI): the dashboard's event log
 * as plain lines, one per entry. Ends after `ready` with exitWhenReady, else
 * on SIGINT / SIGTERM.
 */
import type { RoleNotice } from '../plugin/pluginRole.js';
import { SC_TYPE_LABEL, SC_TYPES } from '../plugin/securitycenter/scTypes.js';
import { DEFAULT_READY_TIMEOUT_MS, notReadyLine } from './readyDeadline.js';
import type { TuiSession } from './startDashboard.js';
import { logLine, type LogEntry } from './viewModel.js';
import { thousands } from './format.js';

export interface PlainLogOptions {
  exitWhenReady: boolean;
  /** With exitWhenReady: not ready by then ends with exit 1 (default 60s). */
  readyTimeoutMs?: number;
  write?: (line: string) => void;
  /** Where the not-ready line goes (default stderr). */
  writeError?: (line: string) => void;
}

export async function runPlainLog(session: TuiSession, options: PlainLogOptions): Promise<number> {
  const write = options.write ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const writeError = options.writeError ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const onEntry = (e: LogEntry): void => write(logLine(e));
  for (const e of session.feed.list()) onEntry(e);
  session.feed.on('entry', onEntry);
  const code = await new Promise<number>((resolve) => {
    // Without a terminal nobody presses q: --exit-when-ready always has a deadline (CI must not hang).
    const deadline = options.exitWhenReady
      ? setTimeout(() => {
          writeError(notReadyLine(session.role, options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS));
          finish(1);
        }, options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS)
      : undefined;
    const finish = (c: number): void => {
      clearTimeout(deadline);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      session.role.off('notice', onNotice);
      resolve(c);
    };
    const onSignal = (): void => finish(0);
    const onNotice = (n: RoleNotice): void => {
      if (options.exitWhenReady && n.kind === 'state' && n.state === 'ready') {
        // After the notices of the same turn (the sync's summary) are logged.
        setImmediate(() => {
          const counts = session.role.snapshot().counts;
          write(`ready: ${SC_TYPES.filter((t) => counts[t] > 0).map((t) => `${SC_TYPE_LABEL[t]} ${thousands(counts[t])}`).join(', ')}`);
          finish(0);
        });
      }
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    session.role.on('notice', onNotice);
    try {
      session.begin();
    } catch (e) {
      write((e as Error).message);
      finish(2);
    }
  });
  session.feed.off('entry', onEntry);
  await session.close();
  return code;
}
