import { formatDuration } from '../core/duration.js';
import type { PluginRole } from '../plugin/pluginRole.js';

/** How long `tui --exit-when-ready` waits for `ready` unless --timeout says otherwise. */
export const DEFAULT_READY_TIMEOUT_MS = 60_000;

/** The one line `--exit-when-ready` prints (on stderr) when the role is not ready by the timeout; the exit code is 1. */
export function notReadyLine(role: PluginRole, timeoutMs: number): string {
  const s = role.snapshot();
  return `tui: not ready after ${formatDuration(timeoutMs)} (state ${s.state})${s.lastError ? `; last error ${s.lastError.code}: ${s.lastError.message}` : ''}`;
}
