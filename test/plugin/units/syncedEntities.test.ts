// The role's store of synchronized entities (plugin/sync/syncedEntities.ts), checked directly
// (issue 13: plugin/sync/ had no unit test; the scenario suite reaches it only through whole
// syncs). R7 full-sync sweep, R8 mapping and SC ids kept across updates, R4/R5 alarm entities,
// R14 "first credential" in SiPass's order, the digest kept current, and the counts the entity
// browser shows. In memory, no clock.
import t from 'tap';
import type { PluginConfig } from '../../../plugin/config/pluginConfig.js';
import { AlarmRegistry } from '../../../plugin/securitycenter/alarmRegistry.js';
import type { AlarmEntity } from '../../../plugin/securitycenter/scTypes.js';
import { compareCredentials, holderOf } from '../../../plugin/sync/credentialOrder.js';
import { reconcileAlarmPartitions } from '../../../plugin/sync/reconcileAlarms.js';
import { SyncedEntities } from '../../../plugin/sync/syncedEntities.js';
import type { SiPassRecord, SiPassType } from '../../../protocol/sipassTypes.js';
import { SiteDigest } from '../../../protocol/siteDigest.js';

const CONFIG: PluginConfig = { host: 'h', port: 5645, alarmRecipients: ['Guards'], alarmPartitions: ['P1'], credentialSync: false };
const WITH_CREDENTIALS: PluginConfig = { ...CONFIG, credentialSync: true };

function store(prefix?: string) {
  const alarms = new AlarmRegistry();
  return { alarms, s: prefix === undefined ? new SyncedEntities('role-a', alarms) : new SyncedEntities('role-a', alarms, prefix) };
}

function digestOf(records: Array<[SiPassType, SiPassRecord]>): string {
  const d = new SiteDigest();
  for (const [type, r] of records) d.add(type, r);
  return d.toString();
}

const ids = (s: SyncedEntities, type: SiPassType, id: string) => s.scEntitiesOf(type, id).map((e) => `${e.type} ${e.id} ${e.name}`);

void t.test('R8: each SiPass entity becomes its SC entities with ids from the role\'s prefix; R4/R5 alarms copy the Properties tab', async (t) => {
  const { s, alarms } = store();
  const config = { ...CONFIG, alarmRecipients: ['Guards'], alarmPartitions: ['P1'] };
  s.upsert('alarmClasses', { id: 'AC-1', name: 'Door forced', priority: 7 }, config);
  s.upsert('alarmClasses', { id: 'AC-2', name: 'Tamper' }, config);
  s.upsert('units', { id: 'UN-1', name: 'Unit 1', address: 3 }, config);
  s.upsert('workgroups', { id: 'WG-1', name: 'Staff', visitor: false }, config);
  s.upsert('workgroups', { id: 'WG-2', name: 'Visitors', visitor: true }, config);
  s.upsert('eventTypes', { id: 'ET-1', name: 'Door held' }, config);
  s.upsert('credentials', { id: 'CR-1', name: 'Card', cardholderId: 'CH-1' }, config);
  config.alarmRecipients.push('later');
  config.alarmPartitions.push('later');

  t.strictSame(ids(s, 'alarmClasses', 'AC-1'), ['alarm SC-1 Door forced']);
  t.strictSame(ids(s, 'units', 'UN-1'), ['accessControlUnit SC-3 Unit 1', 'intrusionUnit SC-4 Unit 1'], 'a unit is two SC entities');
  t.strictSame(ids(s, 'workgroups', 'WG-1'), [], 'only visitor workgroups become cardholder groups');
  t.strictSame(ids(s, 'workgroups', 'WG-2'), ['cardholderGroup SC-5 Visitors']);
  t.strictSame(ids(s, 'credentials', 'CR-1'), [], 'no credential without credential sync');
  t.strictSame(ids(s, 'units', 'UN-9'), [], 'an unknown id has none');

  const a1 = s.alarmFor('AC-1') as AlarmEntity;
  t.match(a1, { id: 'SC-1', type: 'alarm', sipassType: 'alarmClasses', sipassId: 'AC-1', priority: 7, createdBy: 'role-a' });
  t.strictSame(a1.recipients, ['Guards'], 'recipients copied at creation (R4)');
  t.strictSame(a1.partitions, ['P1'], 'partitions copied at creation (R5)');
  t.equal(a1.fields.priority, 7, 'fields are the SiPass record');
  t.equal(s.alarmFor('AC-2')?.priority, 1, 'priority 1 when SiPass sends none');
  t.equal(alarms.get('SC-1'), a1, 'the alarm entity is in Security Center\'s alarm registry');
  t.equal(s.alarmFor('AC-9'), undefined);
  t.strictSame(s.pluginAlarms().map((a) => a.id), ['SC-1', 'SC-2']);
  t.equal(s.customEventFor('ET-1')?.name, 'Door held');
  t.equal(s.customEventFor('ET-9'), undefined);

  t.strictSame(s.countsByScType(), { alarm: 2, cardholder: 0, credential: 0, cardholderGroup: 1, door: 0, elevator: 0, area: 0, intrusionArea: 0, accessControlUnit: 1, intrusionUnit: 1, customEvent: 1 });
  t.equal(s.count('alarm'), 2);
  t.equal(s.sourceCount('workgroups'), 2, 'a workgroup mapping to nothing is still held');
  t.equal(s.totalSources(), 7);
  t.strictSame(s.ops, { creates: 6, updates: 0, deletes: 0 });
  t.strictSame([...s.entities('alarm')].map((e) => e.id), ['SC-1', 'SC-2']);
  t.strictSame([...s.entities()].map((e) => e.id), ['SC-1', 'SC-2', 'SC-5', 'SC-3', 'SC-4', 'SC-6'], 'every SC entity, in SiPass type order then sync order');
  t.equal(s.find('SC-5')?.name, 'Visitors', 'by SC id');
  t.equal(s.find('UN-1')?.type, 'accessControlUnit', 'by SiPass id, first match');
  t.equal(s.find('UN-1', 'intrusionUnit')?.id, 'SC-4', 'of one SC type');
  t.equal(s.find('Tamper')?.id, 'SC-2', 'by name');
  t.equal(s.find('Tamper', 'door'), undefined);
  t.equal(s.find('nothing'), undefined);
  t.equal(s.record('units', 'UN-1')?.address, 3);
  t.equal(s.record('units', 'UN-9'), undefined);

  const second = store('SC2').s;
  second.upsert('doorsets', { id: 'D-1', name: 'Front' }, CONFIG);
  t.strictSame(ids(second, 'doorsets', 'D-1'), ['door SC2-1 Front'], 'a second role\'s ids');
});

void t.test('updates keep the SC ids and refresh name, fields and priority; a mapping lost or gained destroys or creates', async (t) => {
  const { s, alarms } = store();
  s.upsert('alarmClasses', { id: 'AC-1', name: 'Door forced', priority: 7 }, CONFIG);
  s.upsert('units', { id: 'UN-1', name: 'Unit 1' }, CONFIG);
  s.upsert('alarmClasses', { id: 'AC-1', name: 'Door forced open', priority: 9 }, CONFIG);
  s.upsert('alarmClasses', { id: 'AC-1', name: 'Door forced open' }, CONFIG);
  s.upsert('units', { id: 'UN-1', name: 'Unit one', address: 4 }, CONFIG);
  const a = s.alarmFor('AC-1') as AlarmEntity;
  t.match(a, { id: 'SC-1', name: 'Door forced open', priority: 1 }, 'same id, new name; priority back to 1 when SiPass drops it');
  t.strictSame(ids(s, 'units', 'UN-1'), ['accessControlUnit SC-2 Unit one', 'intrusionUnit SC-3 Unit one']);
  t.equal(s.scEntitiesOf('units', 'UN-1')[1]?.fields.address, 4, 'fields replaced');
  t.strictSame(s.ops, { creates: 3, updates: 4, deletes: 0 });

  s.upsert('workgroups', { id: 'WG-1', name: 'Visitors', visitor: true }, CONFIG);
  s.upsert('workgroups', { id: 'WG-1', name: 'Visitors', visitor: false }, CONFIG);
  t.strictSame(ids(s, 'workgroups', 'WG-1'), [], 'no longer a visitor workgroup: its cardholder group leaves');
  t.equal(s.count('cardholderGroup'), 0);
  s.upsert('workgroups', { id: 'WG-1', name: 'Visitors', visitor: true }, CONFIG);
  t.strictSame(ids(s, 'workgroups', 'WG-1'), ['cardholderGroup SC-5 Visitors'], 'a visitor workgroup again: a new SC entity');
  t.strictSame(s.ops, { creates: 5, updates: 4, deletes: 1 });

  t.equal(s.delete('alarmClasses', 'AC-9'), false, 'deleting what is not held');
  t.equal(s.delete('alarmClasses', 'AC-1'), true);
  t.equal(alarms.get('SC-1'), undefined, 'its alarm entity leaves Security Center');
  t.equal(s.count('alarm'), 0);
  t.equal(s.sourceCount('alarmClasses'), 0);
  t.equal(s.digestString(), digestOf([['units', { id: 'UN-1', name: 'Unit one', address: 4 }], ['workgroups', { id: 'WG-1', name: 'Visitors', visitor: true }]]), 'the digest is the remaining records\'');
});

void t.test('R7: a full sync sweeps what it did not see; types not synced are emptied; clear() empties everything', async (t) => {
  const { s, alarms } = store();
  s.beginFullSync();
  s.upsert('alarmClasses', { id: 'AC-1', name: 'A' }, CONFIG);
  s.upsert('alarmClasses', { id: 'AC-2', name: 'B' }, CONFIG);
  s.upsert('doorsets', { id: 'D-1', name: 'Front' }, CONFIG);
  s.upsert('doorsets', { id: 'D-2', name: 'Back' }, CONFIG);
  t.equal(s.endFullSync(['alarmClasses', 'doorsets']), 0, 'everything seen: nothing removed');
  t.equal(s.totalSources(), 4);

  s.beginFullSync();
  s.upsert('alarmClasses', { id: 'AC-2', name: 'B' }, CONFIG);
  s.upsert('doorsets', { id: 'D-1', name: 'Front' }, CONFIG);
  t.equal(s.endFullSync(['alarmClasses', 'doorsets']), 2, 'AC-1 and D-2 were not seen');
  t.strictSame([...s.entities()].map((e) => e.sipassId), ['AC-2', 'D-1']);
  t.equal(alarms.list().length, 1);
  t.equal(s.digestString(), digestOf([['alarmClasses', { id: 'AC-2', name: 'B' }], ['doorsets', { id: 'D-1', name: 'Front' }]]));

  s.beginFullSync();
  s.upsert('alarmClasses', { id: 'AC-2', name: 'B' }, CONFIG);
  t.equal(s.endFullSync(['alarmClasses']), 1, 'doorsets not synced this time: emptied');
  t.equal(s.sourceCount('doorsets'), 0);

  s.upsert('units', { id: 'UN-1', name: 'U' }, CONFIG);
  s.clear();
  t.equal(s.totalSources(), 0);
  t.strictSame(Object.values(s.countsByScType()).filter((n) => n !== 0), []);
  t.equal(alarms.list().length, 0, 'the role\'s alarm entities leave SC');
  t.equal(s.digestString(), new SiteDigest().toString());
});

void t.test('R14: only a cardholder\'s first credential in SiPass\'s order is synchronized, and the next takes its place', async (t) => {
  const { s } = store();
  const cred = (id: string, holder: string, ordinal?: number): SiPassRecord => (ordinal === undefined ? { id, name: id, cardholderId: holder } : { id, name: id, cardholderId: holder, ordinal });
  const synced = () => [...s.entities('credential')].map((e) => e.sipassId).sort();

  s.upsert('credentials', cred('C-b', 'H1', 2), WITH_CREDENTIALS);
  t.strictSame(synced(), ['C-b'], 'the only one is the first');
  s.upsert('credentials', cred('C-a', 'H1', 1), WITH_CREDENTIALS);
  t.strictSame(synced(), ['C-a'], 'a lower ordinal comes first: the former first leaves SC');
  s.upsert('credentials', cred('C-0', 'H1'), WITH_CREDENTIALS);
  t.strictSame(synced(), ['C-0'], 'no ordinal counts as 1; same ordinal: the lower id first');
  s.upsert('credentials', cred('C-z', 'H1', 1), WITH_CREDENTIALS);
  t.strictSame(synced(), ['C-0'], 'same ordinal, higher id: not first');

  s.upsert('credentials', cred('C-0', 'H1', 5), WITH_CREDENTIALS);
  t.strictSame(synced(), ['C-a'], 'the first moved back in the order: the next one comes first');
  s.upsert('credentials', cred('C-a', 'H2', 1), WITH_CREDENTIALS);
  t.strictSame(synced(), ['C-a', 'C-z'], 'the first moved to another cardholder: both cardholders settled');
  t.equal(s.delete('credentials', 'C-z'), true);
  t.strictSame(synced(), ['C-a', 'C-b'], 'the first deleted: the next in order is synchronized');
  t.equal(s.delete('credentials', 'C-0'), true);
  t.strictSame(synced(), ['C-a', 'C-b'], 'deleting one that is not first changes nothing');
  t.equal(s.count('credential'), 2);

  // During a full sync's sweep, a deleted first is replaced once the sweep is over.
  s.beginFullSync();
  s.upsert('credentials', cred('C-a', 'H2', 1), WITH_CREDENTIALS);
  s.upsert('credentials', cred('C-y', 'H2', 3), WITH_CREDENTIALS);
  s.upsert('credentials', cred('C-x', 'H1', 4), WITH_CREDENTIALS);
  t.equal(s.endFullSync(['credentials']), 1, 'C-b not seen');
  t.strictSame(synced(), ['C-a', 'C-x'], 'H1\'s remaining credential is its first now');

  s.remap(CONFIG);
  t.strictSame(synced(), [], 'credential sync switched off: every credential leaves');
  t.equal(s.sourceCount('credentials'), 3, 'the SiPass records are kept');
  s.remap(WITH_CREDENTIALS);
  t.strictSame(synced(), ['C-a', 'C-x'], 'switched on again: each cardholder\'s first comes back');
  s.clear();
  s.upsert('credentials', cred('C-y', 'H2', 3), WITH_CREDENTIALS);
  t.strictSame(synced(), ['C-y'], 'after clear() nothing is remembered of the former firsts');
});

void t.test('credential order and R5 partitions reconciled on the plugin\'s alarms only', async (t) => {
  t.equal(holderOf({ id: 'C', name: 'C', cardholderId: 'H' }), 'H');
  t.equal(holderOf({ id: 'C', name: 'C', cardholderId: 7 }), '', 'a holder id that is not a string: no holder');
  const c = (id: string, ordinal?: number): SiPassRecord => (ordinal === undefined ? { id, name: id } : { id, name: id, ordinal });
  t.ok(compareCredentials(c('b', 1), c('a', 2)) < 0, 'ordinal first');
  t.ok(compareCredentials(c('a', 2), c('b', 1)) > 0);
  t.ok(compareCredentials(c('a'), c('b', 1)) < 0, 'no ordinal is 1; then by id');
  t.ok(compareCredentials(c('b'), c('a', 1)) > 0);
  t.equal(compareCredentials(c('a', 1), c('a')), 0);
  t.ok(compareCredentials(c('a', 0), c('b')) < 0, 'ordinal 0 before a missing one');

  const alarm = (id: string, partitions: string[], createdBy: string | null): AlarmEntity => ({ id, type: 'alarm', name: id, sipassType: 'alarmClasses', sipassId: id, fields: {}, priority: 1, recipients: [], partitions, createdBy });
  const own = alarm('A', ['P1', 'OP'], 'role-a');
  const exact = alarm('B', ['P2', 'P1'], 'role-a');
  const operators = alarm('C', [], null);
  t.equal(reconcileAlarmPartitions([own, exact, operators], ['P1', 'P2'], false), 1, 'only the alarm missing a partition changed');
  t.strictSame(own.partitions, ['P1', 'OP', 'P2'], 'missing partitions added, operator-added kept');
  t.strictSame(operators.partitions, [], 'an operator\'s alarm is never touched');
  t.equal(reconcileAlarmPartitions([own, exact, operators], ['P1', 'P2'], true), 1, 'overwrite: B has exactly the set already');
  t.strictSame(own.partitions, ['P1', 'P2'], 'overwrite: exactly the configured set');
  t.strictSame(exact.partitions, ['P2', 'P1'], 'same set in another order: unchanged');
  t.equal(reconcileAlarmPartitions([own], ['P1'], true), 1, 'a shorter set is not the same set');
  t.strictSame(own.partitions, ['P1']);
  t.equal(reconcileAlarmPartitions([own], ['P1'], false), 0);
  const overlapping = alarm('D', ['P1', 'OP'], 'role-a');
  t.equal(reconcileAlarmPartitions([overlapping], ['P1', 'P2'], true), 1, 'same size, one partition in common: not the same set');
  t.strictSame(overlapping.partitions, ['P1', 'P2']);
});

void t.test('R14 right after a full sync and after clear(): a lower credential takes over at once; clear() deletes each SC entity once', async (t) => {
  // Breaks caught: the store left "sweeping" after endFullSync or clear() (the holder was not
  // settled: two SC credentials for one cardholder), clear() settling holders on its way (the
  // next credential made first, then deleted: one create and one delete too many).
  const cred = (id: string, ordinal: number): SiPassRecord => ({ id, name: id, cardholderId: 'H1', ordinal });
  const synced = (s: SyncedEntities) => [...s.entities('credential')].map((e) => e.sipassId);
  const { s } = store();
  s.beginFullSync();
  s.upsert('credentials', cred('C-2', 2), WITH_CREDENTIALS);
  s.endFullSync(['credentials']);
  s.upsert('credentials', cred('C-1', 1), WITH_CREDENTIALS);
  t.strictSame(synced(s), ['C-1'], 'after a full sync: the new first replaces the former at once');
  s.upsert('credentials', cred('C-0', 0), WITH_CREDENTIALS);
  t.strictSame([s.ops.creates, s.ops.deletes], [3, 2], 'three firsts in turn: three made, two deleted');
  const other = (id: string, ordinal: number): SiPassRecord => ({ id, name: id, cardholderId: 'H2', ordinal });
  s.upsert('credentials', other('X-1', 1), WITH_CREDENTIALS);
  s.upsert('credentials', other('X-2', 2), WITH_CREDENTIALS);
  t.strictSame([s.ops.creates, s.ops.deletes], [4, 2]);
  s.clear();
  t.strictSame([s.ops.creates, s.ops.deletes], [4, 4], 'clear(): the two SC credentials deleted, no next first made on the way (X-1 goes before X-2)');
  s.upsert('credentials', cred('C-5', 5), WITH_CREDENTIALS);
  s.upsert('credentials', cred('C-4', 4), WITH_CREDENTIALS);
  t.strictSame(synced(s), ['C-4'], 'after clear(): the new first replaces the former at once');
});

void t.test('removing a unit leaves the SC entity made just before it; SC objects other than alarms carry no alarm fields', async (t) => {
  // Breaks caught: a unit's second SC entity destroyed by `first - 1` (the neighbour's object
  // dropped and made again: another object on the next look), an update giving a door a priority.
  const { s } = store();
  s.upsert('doorsets', { id: 'D-1', name: 'Front' }, CONFIG);
  s.upsert('units', { id: 'UN-1', name: 'Unit' }, CONFIG);
  const door = s.firstScEntityOf('doorsets', 'D-1');
  const unit = s.scEntitiesOf('units', 'UN-1');
  t.strictSame(unit.map((e) => e.id), ['SC-2', 'SC-3']);
  s.upsert('doorsets', { id: 'D-1', name: 'Front', priority: 5 }, CONFIG);
  t.strictSame(Object.keys(door ?? {}).sort(), ['fields', 'id', 'name', 'sipassId', 'sipassType', 'type'], 'a door has no priority, even when its record has one');
  s.delete('units', 'UN-1');
  t.equal(s.firstScEntityOf('doorsets', 'D-1'), door, 'the door is the same object');
  t.equal(s.find('SC-3'), undefined, 'the unit\'s second SC entity is gone');
  t.equal(s.find('SC-1'), door);
});

void t.test('find() by SC id takes only the exact id text', async (t) => {
  // Break caught: the id pattern without its end anchor (`SC-1 ` read as SC-1, `SC-1e1` as SC-10).
  const { s } = store();
  for (let i = 1; i <= 10; i++) s.upsert('doorsets', { id: `D-${i}`, name: `Door ${i}` }, CONFIG);
  t.equal(s.find('SC-10')?.sipassId, 'D-10');
  t.equal(s.find('SC-1 '), undefined, 'a trailing space');
  t.equal(s.find('SC-1e1'), undefined, 'a number written otherwise');
  t.equal(s.find('SC-1x'), undefined);
});

void t.test('R14 settles a cardholder only when its first may change: a second full sync, a moved or deleted credential that is not first, a deleted entity of another type', async (t) => {
  // ops.updates counts SC entities refreshed from their record. Settling a cardholder walks every
  // credential held and refreshes its first again (one more update): done for nothing on every
  // re-sent first, a second full sync of a million credentials walks them all a million times.
  // Breaks caught: a settle after re-sending the first unchanged (`compareCredentials(after,
  // before) >= 0`, or the condition forced), after re-sending it when its holder is the same
  // (`holderOf(before) !== holder` forced), after moving a credential that was not its former
  // holder's first, after deleting one that is not first, after deleting a doorset whose id is
  // that of a credential without cardholder (`type === 'credentials'` forced in delete()).
  const { s } = store();
  const cred = (id: string, holder: string | null, ordinal: number): SiPassRecord => (holder === null ? { id, name: id, ordinal } : { id, name: id, cardholderId: holder, ordinal });
  const site: Array<[SiPassType, SiPassRecord]> = [
    ['credentials', cred('C-1', 'H1', 1)],
    ['credentials', cred('C-2', 'H1', 2)],
    ['credentials', cred('C-3', 'H2', 1)],
    ['credentials', cred('X', null, 1)],
    ['doorsets', { id: 'X', name: 'Door X' }],
  ];
  const fullSync = () => {
    s.beginFullSync();
    for (const [type, r] of site) s.upsert(type, { ...r }, WITH_CREDENTIALS);
    return s.endFullSync(['credentials', 'doorsets']);
  };
  const synced = () => [...s.entities('credential')].map((e) => e.sipassId);
  t.equal(fullSync(), 0);
  t.strictSame(synced(), ['C-1', 'C-3', 'X']);
  t.strictSame(s.ops, { creates: 4, updates: 0, deletes: 0 });
  t.equal(fullSync(), 0);
  t.strictSame(s.ops, { creates: 4, updates: 4, deletes: 0 }, 'a second full sync, nothing changed: each of the 4 SC entities refreshed once');
  s.upsert('credentials', cred('C-2', 'H2', 5), WITH_CREDENTIALS);
  t.strictSame(s.ops, { creates: 4, updates: 4, deletes: 0 }, 'C-2 (not first) moved to H2 (not first there either): nothing refreshed');
  t.equal(s.delete('credentials', 'C-2'), true);
  t.equal(s.delete('doorsets', 'X'), true);
  t.strictSame(s.ops, { creates: 4, updates: 4, deletes: 1 }, 'C-2 deleted, then the door X: only the door\'s SC entity deleted, nothing refreshed');
  t.strictSame(synced(), ['C-1', 'C-3', 'X']);
});

void t.test('R14 counts credentials only: a record of another type never becomes a cardholder\'s first', async (t) => {
  // Break caught: upsert() placing every record as a credential (`type === 'credentials'`
  // forced): a doorset, whose record has no cardholder either, took the place of the first
  // credential without cardholder, which then left SC at the next re-derivation.
  const { s } = store();
  s.upsert('credentials', { id: 'C-9', name: 'C-9', ordinal: 2 }, WITH_CREDENTIALS);
  s.upsert('doorsets', { id: 'D-1', name: 'Door' }, WITH_CREDENTIALS);
  s.remap(WITH_CREDENTIALS);
  t.strictSame([...s.entities('credential')].map((e) => e.sipassId), ['C-9']);
});

void t.test('R7 + R14: a sweep that removes a cardholder\'s first and its next makes no SC credential on the way', async (t) => {
  // Break caught: endFullSync() not marking the sweep (`sweeping = true` -> false): the first's
  // deletion settled the cardholder at once, made the next one first (an SC credential created)
  // and the sweep then deleted it too.
  const { s } = store();
  s.beginFullSync();
  s.upsert('credentials', { id: 'C-1', name: 'C-1', cardholderId: 'H1', ordinal: 1 }, WITH_CREDENTIALS);
  s.upsert('credentials', { id: 'C-2', name: 'C-2', cardholderId: 'H1', ordinal: 2 }, WITH_CREDENTIALS);
  s.endFullSync(['credentials']);
  s.beginFullSync();
  t.equal(s.endFullSync(['credentials']), 2, 'neither seen');
  t.strictSame([s.ops.creates, s.ops.deletes], [1, 1], 'one SC credential made, the same one deleted');
});
