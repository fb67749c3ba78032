/** The server-port prompt (`o`): what it shows and how its text reads. Pure. */
import { validatePort } from '../plugin/config/validatePort.js';

export function portPromptLines(text: string, error: string, current: number | null): string[] {
  return [`New server port (0 = any free port), now ${current ?? '-'}:`, '', `[${text}_]`, error ? `! ${error}` : '', '', 'Enter: change  Esc: cancel'];
}

/** The typed port, or the line shown under it. */
export function readPort(text: string): { ok: true; port: number } | { ok: false; error: string } {
  const t = text.trim();
  if (t === '0') return { ok: true, port: 0 };
  const p = validatePort(t);
  return p.ok ? { ok: true, port: p.port } : { ok: false, error: `Port: ${JSON.stringify(t)} ${p.reason} (or 0 for any free port)` };
}
