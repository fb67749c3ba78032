// R13 manual overrides on the Security Desk side, against the CommandDesk alone (issue 13: the
// mutation run found no test that checked the checks' order, the refusal log, the request sent,
// or the answer's bookkeeping; the scenario suite only checked the outcome of a few commands).
import t from 'tap';
import { SimulatedClock } from '../../../core/clock.js';
import { TestbenchError } from '../../../core/testbenchError.js';
import type { CommandRequest } from '../../../protocol/messages.js';
import { CommandDesk, type CommandOrder } from '../../../plugin/commands/commandDesk.js';
import { COMMAND_ACTIONS, PRIVILEGES, PULSE_PATTERNS } from '../../../plugin/commands/commandCatalog.js';
import type { RoleState } from '../../../plugin/machine/roleMachine.js';
import { CommandLog } from '../../../plugin/securitycenter/commandLog.js';
import { Directory } from '../../../plugin/securitycenter/directory.js';
import type { ScEntity, ScType } from '../../../plugin/securitycenter/scTypes.js';

const ENTITIES: ScEntity[] = [
  { id: 'SC-D1', type: 'door', name: 'Front door', sipassType: 'doorsets', sipassId: 'DS-1', fields: {} },
  { id: 'SC-A1', type: 'intrusionArea', name: 'Lab', sipassType: 'areas', sipassId: 'AR-1', fields: {} },
  { id: 'SC-U1', type: 'accessControlUnit', name: 'Unit 1', sipassType: 'units', sipassId: 'UN-1', fields: {} },
  { id: 'SC-U2', type: 'intrusionUnit', name: 'Unit 1', sipassType: 'units', sipassId: 'UN-1', fields: {} },
  { id: 'SC-C1', type: 'cardholder', name: 'Ann', sipassType: 'cardholders', sipassId: 'CH-1', fields: {} },
];

function desk(state: RoleState = 'ready') {
  const clock = new SimulatedClock(1000);
  const directory = new Directory();
  directory.addUser('alice');
  directory.addUser('bob');
  directory.addGroup('Guards', ['alice']);
  for (const p of PRIVILEGES) directory.grant('Guards', p);
  const log = new CommandLog();
  const sent: CommandRequest[] = [];
  const s = { state };
  const d = new CommandDesk({
    clock,
    roleName: 'SiPass plugin',
    requestPrefix: 'role-x',
    directory,
    log,
    state: () => s.state,
    find: (ref: string, type: ScType) => ENTITIES.find((e) => e.type === type && (e.id === ref || e.sipassId === ref || e.name === ref)),
    send: (m) => sent.push(m),
  });
  return { d, log, sent, s, clock, directory };
}

const door = (action: CommandOrder['action'], extra: Partial<CommandOrder> = {}): CommandOrder => ({ operator: 'alice', entity: { type: 'door', id: 'SC-D1' }, action, ...extra });

void t.test('the catalog: every action, privilege and pattern once', async (t) => {
  t.strictSame(COMMAND_ACTIONS, ['allowAccess', 'block', 'unblock', 'buzzer', 'arm', 'disarm', 'pulse']);
  t.strictSame(PRIVILEGES, ['unlockDoors', 'blockDoors', 'readerBuzzer', 'armIntrusionAreas', 'triggerOutputs']);
  t.strictSame(PULSE_PATTERNS, ['fast', 'single', 'slow', 'toggle']);
});

void t.test(
  'an accepted command is logged pending and sent with the SiPass type and id, then the answer settles it ' +
    '(breaks: wrong SiPass type, optional fields dropped, an answer applied twice or to the wrong entry)',
  async (t) => {
    const { d, log, sent, clock } = desk();
    const e1 = d.run(door('buzzer', { reader: 'B' }));
    t.strictSame(e1, { at: 1000, role: 'SiPass plugin', operator: 'alice', action: 'buzzer', entity: 'door SC-D1 (Front door, SiPass DS-1)', detail: 'reader B', via: 'Security Desk', result: 'pending', cause: null, n: 1 });
    t.strictSame(sent[0], { t: 'command', requestId: 'role-x-cmd-1', entityType: 'doorsets', entityId: 'DS-1', action: 'buzzer', operator: 'alice', reader: 'B' });
    clock.advanceBy(5);
    const e2 = d.run({ operator: 'alice', entity: { type: 'intrusionUnit', id: 'UN-1' }, action: 'pulse', output: 0, pattern: 'slow' });
    t.equal(e2.at, 1005);
    t.equal(e2.detail, 'output 0, pattern slow (SC Periodic pulse (slow))');
    t.strictSame(sent[1], { t: 'command', requestId: 'role-x-cmd-2', entityType: 'units', entityId: 'UN-1', action: 'pulse', operator: 'alice', output: 0, pattern: 'slow' });
    const e3 = d.run({ operator: 'alice', entity: { type: 'intrusionArea', id: 'Lab' }, action: 'arm' });
    t.strictSame(sent[2], { t: 'command', requestId: 'role-x-cmd-3', entityType: 'areas', entityId: 'AR-1', action: 'arm', operator: 'alice' }, 'no reader, output or pattern when not given');
    t.equal(e3.detail, '');
    d.run(door('buzzer'));
    t.equal(log.list()[3]?.detail, 'reader A', 'the buzzer defaults to reader A');

    d.answered({ t: 'commandResult', requestId: 'role-x-cmd-2', ok: false, reason: 'output busy' });
    t.equal(e2.result, 'failed');
    t.equal(e2.cause, 'output busy');
    d.answered({ t: 'commandResult', requestId: 'role-x-cmd-3', ok: false });
    t.equal(e3.cause, 'refused by SiPass', 'a refusal without a reason');
    d.answered({ t: 'commandResult', requestId: 'role-x-cmd-1', ok: true });
    t.equal(e1.result, 'executed');
    t.equal(e1.cause, null);
    d.answered({ t: 'commandResult', requestId: 'role-x-cmd-1', ok: false, reason: 'late' });
    t.equal(e1.result, 'executed', 'a second answer to the same request changes nothing');
    d.answered({ t: 'commandResult', requestId: 'nope', ok: false });
    t.strictSame(log.list().map((e) => e.result), ['executed', 'failed', 'failed', 'pending']);

    d.connectionLost();
    t.equal(log.list()[3]?.result, 'failed', 'unanswered commands fail when the connection drops');
    t.equal(log.list()[3]?.cause, 'the connection to SiPass was lost before it answered');
    t.equal(e1.result, 'executed', 'answered ones stay as they were');
    d.answered({ t: 'commandResult', requestId: 'role-x-cmd-4', ok: true });
    t.equal(log.list()[3]?.result, 'failed', 'no longer pending after the drop');
    t.equal(log.count, 4);
  },
);

void t.test('every refusal is logged with its cause, throws with its code, and sends nothing (checks in order)', async (t) => {
  const cases: Array<[string, Partial<ReturnType<typeof desk>['s']>, CommandOrder, string, string]> = [
    ['not ready', { state: 'syncing' }, door('block'), 'COMMAND_ROLE_NOT_READY', 'the role "SiPass plugin" is syncing, not ready: nothing was sent to SiPass'],
    ['unknown operator', {}, { ...door('block'), operator: 'Guards' }, 'COMMAND_UNKNOWN_OPERATOR', '"Guards" is not a Security Center user'],
    ['no privilege', {}, { ...door('block'), operator: 'bob' }, 'COMMAND_NO_PRIVILEGE', 'bob lacks the privilege "blockDoors" (door block): nothing was sent to SiPass'],
    ['not applicable', {}, { operator: 'alice', entity: { type: 'cardholder', id: 'SC-C1' }, action: 'arm' }, 'COMMAND_NOT_APPLICABLE', 'arm intrusion area applies to intrusionArea, not cardholder'],
    ['pulse on a door', {}, door('pulse', { pattern: 'fast' }), 'COMMAND_NOT_APPLICABLE', 'output pulse applies to accessControlUnit or intrusionUnit, not door'],
    ['unknown entity', {}, { operator: 'alice', entity: { type: 'door', id: 'DS-9' }, action: 'unblock' }, 'COMMAND_UNKNOWN_ENTITY', 'no synchronized door "DS-9"'],
    ['pulse without pattern', {}, { operator: 'alice', entity: { type: 'accessControlUnit', id: 'SC-U1' }, action: 'pulse' }, 'COMMAND_NOT_APPLICABLE', 'an output pulse needs a pattern (fast, single, slow, toggle)'],
  ];
  for (const [name, state, order, code, cause] of cases) {
    const { d, log, sent, s } = desk();
    Object.assign(s, state);
    const err = t.throws(() => d.run(order), name) as TestbenchError;
    t.ok(err instanceof TestbenchError, `${name}: a TestbenchError`);
    t.equal(err.code, code, `${name}: code`);
    t.equal(err.message, `command ${order.action} refused: ${cause}`, `${name}: message`);
    t.equal(sent.length, 0, `${name}: nothing sent`);
    t.equal(log.list().length, 1, `${name}: logged`);
    t.equal(log.list()[0]?.result, 'refused');
    t.equal(log.list()[0]?.cause, cause);
  }
  const { d, log } = desk();
  t.throws(() => d.run({ operator: 'alice', entity: { type: 'door', id: 'DS-9' }, action: 'unblock' }));
  t.equal(log.list()[0]?.entity, 'door "DS-9"', 'an unknown entity is logged as typed');
  t.throws(() => d.run({ operator: 'alice', entity: { type: 'accessControlUnit', id: 'UN-1' }, action: 'pulse' }));
  t.equal(log.list()[1]?.detail, 'output 1, pattern ?', 'a pulse defaults to output 1; a missing pattern shows as ?');
  t.equal(log.list()[1]?.entity, 'accessControlUnit SC-U1 (Unit 1, SiPass UN-1)');
});

void t.test('event-to-actions run on their event (any capitalisation), log refusals without throwing', async (t) => {
  const { d, log, sent, s } = desk();
  d.addEventToAction({ event: 'Door  Forced', order: door('block') });
  d.addEventToAction({ event: 'door forced', order: { ...door('unblock'), operator: 'bob' } });
  d.addEventToAction({ event: 'Other', order: door('allowAccess') });
  d.eventFired('DOOR FORCED');
  t.strictSame(
    log.list().map((e) => [e.action, e.result, e.via]),
    [
      ['block', 'pending', 'event-to-action on "Door  Forced"'],
      ['unblock', 'refused', 'event-to-action on "door forced"'],
    ],
  );
  t.equal(sent.length, 1);
  s.state = 'connecting';
  d.eventFired('Other');
  t.equal(log.list()[2]?.cause?.startsWith('the role "SiPass plugin" is connecting'), true);
  const broken = new CommandDesk({
    clock: new SimulatedClock(0),
    roleName: 'r',
    requestPrefix: 'r',
    directory: new Directory(),
    log: new CommandLog(),
    state: () => {
      throw new Error('boom');
    },
    find: () => undefined,
    send: () => {},
  });
  broken.addEventToAction({ event: 'x', order: door('block') });
  t.throws(() => broken.eventFired('x'), { message: 'boom' }, 'an error that is not a refusal is not swallowed');
});

void t.test(
  "the words users read for each command and pulse pattern: a privilege refusal names the command, the log names the SC output behaviour " +
    '(break: a label or a behaviour emptied in the catalog -> that refusal or log line loses its words)',
  async (t) => {
    const label: Record<CommandOrder['action'], [CommandOrder['entity'], string, string]> = {
      allowAccess: [{ type: 'door', id: 'SC-D1' }, 'unlockDoors', 'door allow access (momentary unlock)'],
      block: [{ type: 'door', id: 'SC-D1' }, 'blockDoors', 'door block'],
      unblock: [{ type: 'door', id: 'SC-D1' }, 'blockDoors', 'door unblock'],
      buzzer: [{ type: 'door', id: 'SC-D1' }, 'readerBuzzer', 'reader buzzer'],
      arm: [{ type: 'intrusionArea', id: 'SC-A1' }, 'armIntrusionAreas', 'arm intrusion area'],
      disarm: [{ type: 'intrusionArea', id: 'SC-A1' }, 'armIntrusionAreas', 'disarm intrusion area'],
      pulse: [{ type: 'accessControlUnit', id: 'SC-U1' }, 'triggerOutputs', 'output pulse'],
    };
    for (const action of COMMAND_ACTIONS) {
      const [entity, privilege, words] = label[action];
      const { d } = desk();
      const err = t.throws(() => d.run({ operator: 'bob', entity, action, pattern: 'fast' })) as TestbenchError;
      t.equal(err.message, `command ${action} refused: bob lacks the privilege "${privilege}" (${words}): nothing was sent to SiPass`, action);
    }
    const behaviour = { fast: 'Periodic pulse (fast)', single: 'Pulse', slow: 'Periodic pulse (slow)', toggle: 'Toggle (state change)' };
    const { d } = desk();
    for (const pattern of PULSE_PATTERNS) {
      const entry = d.run({ operator: 'alice', entity: { type: 'accessControlUnit', id: 'SC-U1' }, action: 'pulse', output: 2, pattern });
      t.equal(entry.detail, `output 2, pattern ${pattern} (SC ${behaviour[pattern]})`, pattern);
    }
  },
);

void t.test('each command applies to its own SC entity types only (break: a command\'s `on` list emptied -> it is refused on its own type)', async (t) => {
  const on: Record<CommandOrder['action'], ScType[]> = {
    allowAccess: ['door'],
    block: ['door'],
    unblock: ['door'],
    buzzer: ['door'],
    arm: ['intrusionArea'],
    disarm: ['intrusionArea'],
    pulse: ['accessControlUnit', 'intrusionUnit'],
  };
  for (const action of COMMAND_ACTIONS) {
    for (const e of ENTITIES) {
      const { d } = desk();
      const order: CommandOrder = { operator: 'alice', entity: { type: e.type, id: e.id }, action, pattern: 'single' };
      if (on[action].includes(e.type)) t.equal(d.run(order).result, 'pending', `${action} on ${e.type}: sent`);
      else t.equal((t.throws(() => d.run(order)) as TestbenchError).code, 'COMMAND_NOT_APPLICABLE', `${action} on ${e.type}: refused`);
    }
  }
});
