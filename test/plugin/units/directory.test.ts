// The Security Center directory, alarm entities and their registry, logs and the entity browser,
// checked directly (issue 13: their mutants survived every in-memory test; only the scenario
// suite reached them, and it checks outcomes, not the names and codes users read).
import t, { type Test } from 'tap';
import { TestbenchError } from '../../../core/testbenchError.js';
import { AlarmRegistry } from '../../../plugin/securitycenter/alarmRegistry.js';
import { CommandLog } from '../../../plugin/securitycenter/commandLog.js';
import { Directory } from '../../../plugin/securitycenter/directory.js';
import { EventLog } from '../../../plugin/securitycenter/eventLog.js';
import type { HostedRole } from '../../../plugin/securitycenter/hostedRole.js';
import { isScType, SC_TYPE_LABEL, SC_TYPES, type ScType } from '../../../plugin/securitycenter/scTypes.js';
import { SecurityCenter } from '../../../plugin/securitycenter/securityCenter.js';

const throwsCode = (t: Test, fn: () => unknown, code: string, message: string): void => {
  const e = t.throws(fn) as TestbenchError;
  t.ok(e instanceof TestbenchError, `${code} is a TestbenchError`);
  t.equal(e.code, code);
  t.equal(e.message, message);
};

void t.test('users, nested groups, partitions: names are taken once; deletions leave every group', async (t) => {
  const d = new Directory();
  d.addUser('alice');
  d.addUser('bob');
  d.addGroup('Night', ['bob', 'Ghost']);
  d.addGroup('Guards', ['alice', 'Night']);
  d.addGroup('Loop', ['Loop2']);
  d.addGroup('Loop2', ['Loop', 'alice']);
  throwsCode(t, () => d.addUser('Night'), 'DIRECTORY_DUPLICATE', 'a user or user group named "Night" already exists');
  throwsCode(t, () => d.addGroup('alice'), 'DIRECTORY_DUPLICATE', 'a user or user group named "alice" already exists');
  d.addPartition('HQ');
  throwsCode(t, () => d.addPartition('HQ'), 'DIRECTORY_DUPLICATE', 'partition "HQ" already exists');
  t.ok(d.isUser('alice') && !d.isUser('Night'));
  t.ok(d.isGroup('Night') && !d.isGroup('alice'));
  t.ok(d.isRecipient('alice') && d.isRecipient('Night') && !d.isRecipient('HQ'));
  t.ok(d.hasPartition('HQ') && !d.hasPartition('alice'));
  t.strictSame(d.flatten(['Guards']), ['alice', 'bob'], 'nesting flattened');
  t.strictSame(d.flatten(['Loop', 'bob', 'Night']), ['alice', 'bob'], 'cycles cut, each user once, sorted');
  t.strictSame(d.flatten(['Ghost', 'HQ']), [], 'unknown names notify nobody');
  t.strictSame(d.listUsers(), ['alice', 'bob']);
  t.strictSame(d.listPartitions(), ['HQ']);
  d.addGroup('Empty');
  t.strictSame(d.listGroups().find((g) => g.name === 'Empty'), { name: 'Empty', members: [] }, 'a group made without members has none');
  d.deleteGroup('Empty');

  d.addToGroup('Night', 'alice');
  d.addToGroup('Night', 'alice');
  t.strictSame(d.listGroups()[0], { name: 'Night', members: ['bob', 'Ghost', 'alice'] }, 'a member is added once');
  throwsCode(t, () => d.addToGroup('Nope', 'alice'), 'DIRECTORY_NO_SUCH_GROUP', 'user group "Nope" does not exist');
  const listed = d.listGroups();
  listed[0]?.members.push('mallory');
  t.strictSame(d.listGroups()[0]?.members, ['bob', 'Ghost', 'alice'], 'listGroups hands out copies');

  d.deleteUser('bob');
  t.strictSame(d.listGroups()[0]?.members, ['Ghost', 'alice'], 'a deleted user leaves the groups');
  throwsCode(t, () => d.deleteUser('bob'), 'DIRECTORY_NO_SUCH_USER', 'user "bob" does not exist');
  d.deleteGroup('Night');
  t.strictSame(d.listGroups().find((g) => g.name === 'Guards')?.members, ['alice'], 'a deleted group leaves the groups');
  throwsCode(t, () => d.deleteGroup('Night'), 'DIRECTORY_NO_SUCH_GROUP', 'user group "Night" does not exist');
  d.deletePartition('HQ');
  t.notOk(d.hasPartition('HQ'));
  throwsCode(t, () => d.deletePartition('HQ'), 'DIRECTORY_NO_SUCH_PARTITION', 'partition "HQ" does not exist');
});

void t.test('R13 privileges: granted to users or groups, inherited through nesting, revoked, forgotten with their holder', async (t) => {
  const d = new Directory();
  d.addUser('alice');
  d.addUser('bob');
  d.addUser('carol');
  d.addGroup('Inner', ['bob']);
  d.addGroup('Outer', ['Inner']);
  d.grant('Outer', 'blockDoors');
  d.grant('alice', 'unlockDoors');
  d.grant('alice', 'blockDoors');
  throwsCode(t, () => d.grant('mallory', 'x'), 'DIRECTORY_NO_SUCH_USER', '"mallory" is not a user or user group in Security Center');
  t.ok(d.hasPrivilege('bob', 'blockDoors'), 'through two levels of groups');
  t.notOk(d.hasPrivilege('bob', 'unlockDoors'), 'not a privilege of its groups');
  t.ok(d.hasPrivilege('alice', 'unlockDoors') && d.hasPrivilege('alice', 'blockDoors'), 'a second grant keeps the first');
  t.notOk(d.hasPrivilege('carol', 'blockDoors'));
  t.notOk(d.hasPrivilege('Outer', 'blockDoors'), 'a group is not an operator');
  d.revoke('alice', 'unlockDoors');
  d.revoke('nobody', 'unlockDoors');
  t.notOk(d.hasPrivilege('alice', 'unlockDoors'));
  t.ok(d.hasPrivilege('alice', 'blockDoors'), 'revoking one leaves the others');
  d.deleteGroup('Outer');
  d.addGroup('Outer', ['Inner']);
  t.notOk(d.hasPrivilege('bob', 'blockDoors'), 'a deleted group takes its privileges with it');
});

void t.test('alarm registry: found by SC id, SiPass id or name; operator alarms and their edits', async (t) => {
  const r = new AlarmRegistry();
  const a = r.createByOperator('Manual alarm', ['alice'], ['HQ']);
  t.strictSame(a, { id: 'SC-OP-1', type: 'alarm', name: 'Manual alarm', sipassType: 'alarmClasses', sipassId: '', fields: {}, priority: 1, recipients: ['alice'], partitions: ['HQ'], createdBy: null });
  t.equal(r.createByOperator('Second').id, 'SC-OP-2');
  t.strictSame(r.get('SC-OP-2')?.recipients, []);
  r.put({ id: 'SC-9', type: 'alarm', name: 'Door forced', sipassType: 'alarmClasses', sipassId: 'AC-1', fields: {}, priority: 2, recipients: [], partitions: [], createdBy: 'role' });
  t.equal(r.find('SC-9')?.name, 'Door forced');
  t.equal(r.find('AC-1')?.id, 'SC-9');
  t.equal(r.find('Door forced')?.id, 'SC-9');
  t.equal(r.find('nothing'), undefined);
  throwsCode(t, () => r.require('nothing'), 'SC_NO_SUCH_ALARM', 'no alarm entity "nothing" in Security Center');
  r.addRecipient('AC-1', 'bob');
  r.addRecipient('AC-1', 'bob');
  r.addRecipient('AC-1', 'carol');
  t.strictSame(r.get('SC-9')?.recipients, ['bob', 'carol'], 'a recipient added twice is listed once');
  r.removeRecipient('Door forced', 'bob');
  t.strictSame(r.get('SC-9')?.recipients, ['carol']);
  r.addPartition('SC-9', 'HQ');
  r.addPartition('SC-9', 'HQ');
  r.addPartition('SC-9', 'Lab');
  t.strictSame(r.get('SC-9')?.partitions, ['HQ', 'Lab'], 'a partition added twice is listed once');
  r.removePartition('SC-9', 'HQ');
  t.strictSame(r.get('SC-9')?.partitions, ['Lab']);
  t.equal(r.list().length, 3);
  r.remove('SC-9');
  t.equal(r.get('SC-9'), undefined);
  t.equal(r.list().length, 2);
});

void t.test('Security Center: populate, roles by name, alarm edits checked against the directory, entity browser', async (t) => {
  const sc = new SecurityCenter({ monitorCapacity: 2, eventCapacity: 2 });
  sc.populate({ users: ['alice'], groups: { Guards: ['alice'] }, partitions: ['HQ'], alarms: [{ name: 'Op alarm', recipients: ['alice'] }], privileges: { Guards: ['blockDoors'] }, version: '9.9' });
  t.equal(sc.version, '9.9');
  t.ok(sc.directory.hasPrivilege('alice', 'blockDoors'));
  t.equal(sc.alarms.find('Op alarm')?.recipients[0], 'alice');
  sc.populate({});
  t.equal(sc.version, '9.9', 'a population without a version keeps it');
  t.strictSame(
    [sc.directory.listUsers(), sc.directory.listGroups(), sc.directory.listPartitions(), sc.alarms.list().map((a) => a.name)],
    [['alice'], [{ name: 'Guards', members: ['alice'] }], ['HQ'], ['Op alarm']],
    'an empty population adds nothing',
  );
  t.strictSame([sc.nextEntityIdPrefix(), sc.nextEntityIdPrefix(), sc.nextEntityIdPrefix()], ['SC', 'SC2', 'SC3'], 'SC ids of the first, second and third role');

  throwsCode(t, () => sc.role('SiPass'), 'ROLE_NOT_FOUND', 'the plugin role "SiPass" does not exist: create the SiPass plugin role first');
  let disposed = 0;
  const counts = Object.fromEntries(SC_TYPES.map((ty) => [ty, 0])) as Record<ScType, number>;
  counts.door = 2;
  counts.alarm = 1;
  const fake: HostedRole = { name: 'R1', apply: (i) => ({ host: String(i.host), port: 1, alarmRecipients: [], alarmPartitions: [], credentialSync: false }), entities: { countsByScType: () => counts }, dispose: () => disposed++ };
  t.equal(sc.adoptRole(fake), fake);
  t.ok(sc.hasRole('R1'));
  throwsCode(t, () => sc.adoptRole(fake), 'ROLE_EXISTS', 'a role named "R1" already exists');
  throwsCode(t, () => sc.role('R2'), 'ROLE_NOT_FOUND', 'the plugin role "R2" does not exist: create the SiPass plugin role first (roles: R1)');
  sc.adoptRole({ ...fake, name: 'R3', dispose: () => undefined });
  const notFound = t.throws(() => sc.role('R2')) as TestbenchError;
  t.equal(notFound.message, 'the plugin role "R2" does not exist: create the SiPass plugin role first (roles: R1, R3)');
  t.strictSame(notFound.details, { role: 'R2' }, 'the missing role named in the details');
  sc.deleteRole('R3');
  t.equal(sc.configureRole('R1', { host: 'h' }).host, 'h');
  t.strictSame(sc.entityBrowser(), [
    {
      name: 'R1',
      kind: 'role',
      count: 3,
      children: [
        { name: 'alarm', kind: 'type', count: 1 },
        { name: 'door', kind: 'type', count: 2 },
      ],
    },
  ]);
  t.equal(sc.listRoles().length, 1);
  sc.deleteRole('R1');
  t.equal(disposed, 1, 'deleting a role disposes of it');
  t.notOk(sc.hasRole('R1'));
  t.strictSame(sc.entityBrowser(), []);

  throwsCode(t, () => sc.addAlarmRecipient('Op alarm', 'mallory'), 'SC_UNKNOWN_RECIPIENT', '"mallory" is not a user or user group in Security Center');
  sc.addAlarmRecipient('Op alarm', 'Guards');
  sc.removeAlarmRecipient('Op alarm', 'alice');
  t.strictSame(sc.alarms.find('Op alarm')?.recipients, ['Guards']);
  throwsCode(t, () => sc.addAlarmPartition('Op alarm', 'Lab'), 'SC_UNKNOWN_PARTITION', '"Lab" is not a partition in Security Center');
  sc.addAlarmPartition('Op alarm', 'HQ');
  t.strictSame(sc.alarms.find('Op alarm')?.partitions, ['HQ']);
  sc.removeAlarmPartition('Op alarm', 'HQ');
  t.strictSame(sc.alarms.find('Op alarm')?.partitions, []);

  const entity = { fields: { a: 1, b: 2 } as Record<string, string | number>, name: 'old' };
  sc.editEntity(entity, { b: 3 });
  t.strictSame(entity, { fields: { a: 1, b: 3 }, name: 'old' }, 'a value changed; the name only when it is given');
  sc.editEntity(entity, { name: 'new' });
  t.equal(entity.name, 'new');

  for (let i = 0; i < 3; i++) sc.events.fire({ at: i, kind: 'custom', name: 'E', eventId: String(i), source: 's', sourceEntity: null, role: 'r' });
  t.equal(sc.events.list().length, 2, 'the event log keeps its capacity');
});

void t.test('logs count everything, keep the most recent, count events by kind and name', async (t) => {
  const ev = new EventLog(2);
  ev.fire({ at: 1, kind: 'custom', name: 'A', eventId: 'e1', source: 's', sourceEntity: null, role: 'r' });
  ev.fire({ at: 2, kind: 'native', name: 'A', eventId: 'e2', source: 's', sourceEntity: null, role: 'r' });
  const last = ev.fire({ at: 3, kind: 'custom', name: 'A', eventId: 'e3', source: 's', sourceEntity: null, role: 'r' });
  t.equal(last.n, 3);
  t.equal(ev.count, 3);
  t.strictSame(ev.list().map((e) => e.eventId), ['e2', 'e3']);
  t.equal(ev.countOf('custom', 'A'), 2);
  t.equal(ev.countOf('native', 'A'), 1);
  t.equal(ev.countOf('native', 'B'), 0);
  const cl = new CommandLog(1);
  const base = { at: 0, role: 'r', operator: 'o', action: 'block', entity: 'e', detail: '', via: 'v', result: 'pending' as const, cause: null };
  cl.add(base);
  t.equal(cl.add(base).n, 2);
  t.equal(cl.count, 2);
  t.equal(cl.list().length, 1);
});

void t.test('SC types and their labels', async (t) => {
  t.equal(SC_TYPES.length, 11);
  t.ok(isScType('door'));
  t.notOk(isScType('doors'));
  t.notOk(isScType(3));
  t.strictSame(SC_TYPE_LABEL, {
    alarm: 'Alarms',
    cardholder: 'Cardholders',
    credential: 'Credentials',
    cardholderGroup: 'Cardholder groups',
    door: 'Doors',
    elevator: 'Elevators',
    area: 'Areas',
    intrusionArea: 'Intrusion detection areas',
    accessControlUnit: 'Access control units',
    intrusionUnit: 'Intrusion detection units',
    customEvent: 'Custom events',
  }, 'the entity browser\'s words');
  t.equal(Object.keys(SC_TYPE_LABEL).length, SC_TYPES.length);
});
