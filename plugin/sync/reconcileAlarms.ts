import type { AlarmEntity } from '../securitycenter/scTypes.js';

/**
 * R5 at every reconcile (every sync, every Apply): each plugin-created alarm is
 * a member of every configured partition. When the Apply modified the
 * partition set, membership becomes exactly the new set (operator-added
 * partitions go). Returns how many alarms changed.
 */
export function reconcileAlarmPartitions(alarms: readonly AlarmEntity[], configured: readonly string[], overwrite: boolean): number {
  let changed = 0;
  for (const a of alarms) {
    if (a.createdBy === null) continue; // R5: alarms the plugin did not create are never touched.
    if (overwrite) {
      const same = a.partitions.length === configured.length && configured.every((p) => a.partitions.includes(p));
      if (!same) {
        a.partitions = [...configured];
        changed++;
      }
    } else {
      const missing = configured.filter((p) => !a.partitions.includes(p));
      if (missing.length > 0) {
        a.partitions = [...a.partitions, ...missing];
        changed++;
      }
    }
  }
  return changed;
}
