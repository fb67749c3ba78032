import type { Clock } from '../../core/clock.js';
import { TestbenchError } from '../../core/testbenchError.js';
import type { CommandAction, CommandRequest, CommandResult, PulsePattern } from '../../protocol/messages.js';
import type { RoleState } from '../machine/roleMachine.js';
import type { CommandEntry, CommandLog } from '../securitycenter/commandLog.js';
import type { Directory } from '../securitycenter/directory.js';
import { eventTypeKey } from '../securitycenter/nativeEvents.js';
import type { ScEntity, ScType } from '../securitycenter/scTypes.js';
import { COMMANDS, OUTPUT_BEHAVIOUR } from './commandCatalog.js';

/** What an operator asks for in Security Desk (by hand, a hot action, or an event-to-action). */
export interface CommandOrder {
  operator: string;
  /** The synchronized SC entity: its SC type and SC id, SiPass id or name. */
  entity: { type: ScType; id: string };
  action: CommandAction;
  reader?: 'A' | 'B';
  output?: number;
  pattern?: PulsePattern;
}

/** R13: an event-to-action: when the custom event of that SiPass event type fires, run the order. */
export interface EventToAction {
  event: string;
  order: CommandOrder;
}

export interface CommandDeskDeps {
  readonly clock: Clock;
  readonly roleName: string;
  readonly requestPrefix: string;
  readonly directory: Directory;
  readonly log: CommandLog;
  state(): RoleState;
  find(ref: string, type: ScType): ScEntity | undefined;
  /** Sends to SiPass; only called while the role is ready. */
  send(m: CommandRequest): void;
}

/**
 * R13, the Security Desk side of SiPass manual overrides. A command is checked in Security Center
 * first (the role is `ready`, the operator holds the privilege, the entity is synchronized and the
 * command applies to it): a refused one is logged with its cause, throws, and never reaches SiPass
 * (never queued). An accepted one is sent and stays `pending` until SiPass answers.
 */
export class CommandDesk {
  private nextId = 1;
  private readonly pending = new Map<string, CommandEntry>();
  private readonly rules: EventToAction[] = [];

  constructor(private readonly deps: CommandDeskDeps) {}

  /** Runs an order; returns its log entry (pending) or throws a TestbenchError naming the cause. */
  run(order: CommandOrder, via = 'Security Desk'): CommandEntry {
    const d = this.deps;
    const spec = COMMANDS[order.action];
    const target = d.find(order.entity.id, order.entity.type);
    const refuse = (code: string, cause: string): never => {
      d.log.add({ at: d.clock.now(), role: d.roleName, operator: order.operator, action: order.action, entity: describe(target, order), detail: detailOf(order), via, result: 'refused', cause });
      throw new TestbenchError(code, `command ${order.action} refused: ${cause}`);
    };
    const state = d.state();
    if (state !== 'ready') refuse('COMMAND_ROLE_NOT_READY', `the role "${d.roleName}" is ${state}, not ready: nothing was sent to SiPass`);
    if (!d.directory.isUser(order.operator)) refuse('COMMAND_UNKNOWN_OPERATOR', `"${order.operator}" is not a Security Center user`);
    if (!d.directory.hasPrivilege(order.operator, spec.privilege)) {
      refuse('COMMAND_NO_PRIVILEGE', `${order.operator} lacks the privilege "${spec.privilege}" (${spec.label}): nothing was sent to SiPass`);
    }
    if (!spec.on.includes(order.entity.type)) refuse('COMMAND_NOT_APPLICABLE', `${spec.label} applies to ${spec.on.join(' or ')}, not ${order.entity.type}`);
    if (!target) refuse('COMMAND_UNKNOWN_ENTITY', `no synchronized ${order.entity.type} "${order.entity.id}"`);
    if (order.action === 'pulse' && !order.pattern) refuse('COMMAND_NOT_APPLICABLE', 'an output pulse needs a pattern (fast, single, slow, toggle)');
    const sc = target as ScEntity;
    const requestId = `${d.requestPrefix}-cmd-${this.nextId++}`;
    const entry = d.log.add({ at: d.clock.now(), role: d.roleName, operator: order.operator, action: order.action, entity: describe(sc, order), detail: detailOf(order), via, result: 'pending', cause: null });
    this.pending.set(requestId, entry);
    d.send({
      t: 'command',
      requestId,
      // The SiPass type the target was synchronized from (doorsets, areas, units: mapping.ts).
      entityType: sc.sipassType,
      entityId: sc.sipassId,
      action: order.action,
      operator: order.operator,
      ...(order.reader ? { reader: order.reader } : {}),
      ...(order.output !== undefined ? { output: order.output } : {}),
      ...(order.pattern ? { pattern: order.pattern } : {}),
    });
    return entry;
  }

  /** SiPass's answer. */
  answered(m: CommandResult): void {
    const entry = this.pending.get(m.requestId);
    if (!entry) return;
    this.pending.delete(m.requestId);
    entry.result = m.ok ? 'executed' : 'failed';
    entry.cause = m.ok ? null : (m.reason ?? 'refused by SiPass');
  }

  /** The connection dropped: commands SiPass never answered did not run as far as SC knows. */
  connectionLost(): void {
    for (const entry of this.pending.values()) {
      entry.result = 'failed';
      entry.cause = 'the connection to SiPass was lost before it answered';
    }
    this.pending.clear();
  }

  addEventToAction(rule: EventToAction): void {
    this.rules.push(rule);
  }

  /** A custom event fired: run each matching event-to-action (a refusal is logged, not thrown). */
  eventFired(name: string): void {
    // Most sites have no event-to-action: no key to compute per event of the live stream.
    if (this.rules.length === 0) return;
    const key = eventTypeKey(name);
    for (const r of this.rules) {
      if (eventTypeKey(r.event) !== key) continue;
      try {
        this.run(r.order, `event-to-action on "${r.event}"`);
      } catch (e) {
        if (!(e instanceof TestbenchError)) throw e;
      }
    }
  }
}

function describe(sc: ScEntity | undefined, order: CommandOrder): string {
  return sc ? `${sc.type} ${sc.id} (${sc.name}, SiPass ${sc.sipassId})` : `${order.entity.type} "${order.entity.id}"`;
}

function detailOf(o: CommandOrder): string {
  if (o.action === 'pulse') return `output ${o.output ?? 1}, pattern ${o.pattern ?? '?'}${o.pattern ? ` (SC ${OUTPUT_BEHAVIOUR[o.pattern]})` : ''}`;
  if (o.action === 'buzzer') return `reader ${o.reader ?? 'A'}`;
  return '';
}
