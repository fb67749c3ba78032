import type { Message } from '../../protocol/messages.js';

/** Longest list kept in a traced message's fields (active alarms at a reconnection can be many). */
const LIST_CAP = 20;

/**
 * A wire message's fields as the trace keeps them: everything but `t`, except that a batch
 * keeps its count and first item (not its hundreds of entities) and long lists are cut.
 */
export function wireFields(m: Message): Record<string, unknown> {
  if (m.t === 'batch') return { id: m.id, type: m.type, items: m.items.length, first: m.items[0] ?? null };
  const { t: _t, ...rest } = m as Message & Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rest)) {
    out[k] = Array.isArray(v) && v.length > LIST_CAP ? [...(v as unknown[]).slice(0, LIST_CAP), `\u2026 ${v.length - LIST_CAP} more`] : v;
  }
  return out;
}
