import { TestbenchError } from '../../core/testbenchError.js';
import type { AlarmEntity } from './scTypes.js';

/**
 * Every alarm entity in Security Center, whoever created it: the plugin's and
 * the operators' (Alarms task). Operator edits of recipients and partitions go
 * through here.
 */
export class AlarmRegistry {
  private readonly alarms = new Map<string, AlarmEntity>();
  private nextOperatorId = 1;

  put(a: AlarmEntity): void {
    this.alarms.set(a.id, a);
  }

  remove(id: string): void {
    this.alarms.delete(id);
  }

  get(id: string): AlarmEntity | undefined {
    return this.alarms.get(id);
  }

  /** By SC id, SiPass alarm class id, or name. */
  find(ref: string): AlarmEntity | undefined {
    const direct = this.alarms.get(ref);
    if (direct) return direct;
    for (const a of this.alarms.values()) if (a.sipassId === ref || a.name === ref) return a;
    return undefined;
  }

  require(ref: string): AlarmEntity {
    const a = this.find(ref);
    if (!a) throw new TestbenchError('SC_NO_SUCH_ALARM', `no alarm entity "${ref}" in Security Center`);
    return a;
  }

  list(): AlarmEntity[] {
    return [...this.alarms.values()];
  }

  /** An alarm an operator creates by hand in the Alarms task (never touched by the plugin). */
  createByOperator(name: string, recipients: string[] = [], partitions: string[] = []): AlarmEntity {
    const a: AlarmEntity = {
      id: `SC-OP-${this.nextOperatorId++}`,
      type: 'alarm',
      name,
      sipassType: 'alarmClasses',
      sipassId: '',
      fields: {},
      priority: 1,
      recipients: [...recipients],
      partitions: [...partitions],
      createdBy: null,
    };
    this.alarms.set(a.id, a);
    return a;
  }

  // Alarms task: operator edits on one alarm entity's Properties tab.

  addRecipient(ref: string, recipient: string): void {
    const a = this.require(ref);
    if (!a.recipients.includes(recipient)) a.recipients.push(recipient);
  }

  removeRecipient(ref: string, recipient: string): void {
    const a = this.require(ref);
    a.recipients = a.recipients.filter((r) => r !== recipient);
  }

  addPartition(ref: string, partition: string): void {
    const a = this.require(ref);
    if (!a.partitions.includes(partition)) a.partitions.push(partition);
  }

  removePartition(ref: string, partition: string): void {
    const a = this.require(ref);
    a.partitions = a.partitions.filter((p) => p !== partition);
  }
}
