// The role's compact store (issue 14): SyncedEntities over TypeTable columns and ScShapes codes.
// SC entities are numbers until asked for; these tests pin what an object handed out must keep
// (identity, edits until the next sync, updates) and what the columns must not lose (slot reuse,
// growth, counts). Each test names the break it catches.
import fc from 'fast-check';
import t from 'tap';
import { fcAssert } from '../helpers/fcRun.js';
import type { PluginConfig } from '../../plugin/config/pluginConfig.js';
import { AlarmRegistry } from '../../plugin/securitycenter/alarmRegistry.js';
import { nativeEventFor } from '../../plugin/securitycenter/nativeEvents.js';
import type { ScType } from '../../plugin/securitycenter/scTypes.js';
import { ScShapes } from '../../plugin/sync/scShapes.js';
import { SyncedEntities } from '../../plugin/sync/syncedEntities.js';
import { TypeTable } from '../../plugin/sync/typeTable.js';

const config = (over: Partial<PluginConfig> = {}): PluginConfig => ({
  host: 'h',
  port: 5645,
  alarmRecipients: ['alice'],
  alarmPartitions: ['HQ'],
  credentialSync: true,
  ...over,
});

void t.test('ScShapes: one code per list, by identity or by text, 0 for none (break: a fresh list gets a new code -> counts split)', (t) => {
  const s = new ScShapes();
  const unit: readonly ScType[] = ['accessControlUnit', 'intrusionUnit'];
  t.equal(s.code([]), 0);
  const c = s.code(unit);
  t.ok(c > 0);
  t.equal(s.code(unit), c, 'the same list');
  t.equal(s.code(['door']), c + 1, 'another list, the next code');
  t.equal(s.code(['accessControlUnit', 'intrusionUnit']), c, 'an equal list built per call');
  t.equal(s.code(['intrusionUnit', 'accessControlUnit']), c + 2, 'order matters: it is the SC id order');
  t.same(s.list(c), unit);
  t.equal(s.size, 4);
  t.ok(Object.isFrozen(s.list(c)), 'a code list cannot be changed by whoever reads it');
  t.end();
});

void t.test('ScShapes: at most 255 lists (break: a code past 255 wraps in the Uint8Array column)', (t) => {
  const s = new ScShapes();
  for (let i = 1; i < 256; i++) s.code([`t${i}` as ScType]);
  t.throws(() => s.code(['one too many' as ScType]), new RangeError('more than 255 distinct SC type lists'), 'the limit named in the message');
  t.equal(s.size, 256, 'codes 0..255, nothing added by the refused list');
  t.end();
});

void t.test('ScShapes: code 0 is the empty list (break: code 0 read as a list with a type in it)', (t) => {
  const s = new ScShapes();
  t.same(s.list(0), []);
  t.same(s.list(s.code([])), []);
  t.equal(s.size, 1, 'only the empty list at first');
  t.end();
});

void t.test('TypeTable: ids found through growth, deletes and squeezes, slots in insertion order (break: a deleted entry ends a probe -> later ids lost)', (t) => {
  const table = new TypeTable();
  for (let i = 0; i < 200; i++) {
    const slot = table.add({ id: `X-${i}`, name: `x ${i}` }, 7);
    table.scIds[slot] = 1000 + i;
  }
  t.equal(table.size, 200);
  t.equal(table.end, 200);
  t.equal(table.generations[199], 7);
  t.equal(table.scIds[150], 1150, 'values written before a growth survive it');
  for (let i = 0; i < 200; i += 2) table.remove(table.slotOf(`X-${i}`) as number);
  t.equal(table.size, 100);
  t.equal(table.slotOf('X-10'), undefined, 'deleted');
  t.equal(table.record(table.slotOf('X-11') as number).id, 'X-11', 'found past deleted entries');
  const y = table.add({ id: 'Y', name: 'y' }, 8);
  t.equal(y, 200, 'slots are not reused: a new one at the end');
  t.equal(table.scIds[y], 0, 'a new slot has no SC entity');
  for (let i = 1; i < 200; i += 2) if (i !== 199) table.remove(table.slotOf(`X-${i}`) as number);
  t.equal(table.size, 2);
  const z = table.add({ id: 'Z', name: 'z' }, 9);
  t.equal(table.end, 3, 'holes squeezed out once they outnumber the entities');
  t.equal(z, 2);
  const walk: string[] = [];
  for (let slot = 0; slot < table.end; slot++) walk.push(table.record(slot).id);
  t.same(walk, ['X-199', 'Y', 'Z'], 'insertion order kept');
  t.equal(table.scIds[table.slotOf('X-199') as number], 1199, 'columns moved with their slot');
  t.equal(table.generations[table.slotOf('Y') as number], 8);
  t.equal(table.slotOf('X-198'), undefined);
  t.end();
});

void t.test('TypeTable against a Map: any mix of adds, removes and lookups, past growth, rebuilds and squeezes (break: an index sized or probed wrong loses an id, or a squeeze reorders slots)', async (t) => {
  // A small id pool makes ids come back after being removed (tombstones reused), and runs of
  // adds push the table past its 64 slots and its index through rebuilds.
  const op = fc.oneof(
    { arbitrary: fc.record({ k: fc.constant('add' as const), id: fc.integer({ min: 0, max: 300 }), n: fc.integer({ min: 1, max: 40 }) }), weight: 3 },
    { arbitrary: fc.record({ k: fc.constant('remove' as const), id: fc.integer({ min: 0, max: 300 }), n: fc.integer({ min: 1, max: 40 }) }), weight: 2 },
  );
  await fcAssert(
    t,
    fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
      const table = new TypeTable();
      const model = new Map<string, number>();
      let generation = 0;
      for (const o of ops) {
        for (let j = 0; j < o.n; j++) {
          const id = `ID-${(o.id + j * 7) % 301}`;
          if (o.k === 'add') {
            if (model.has(id)) continue;
            generation++;
            const slot = table.add({ id, name: id }, generation);
            model.set(id, generation);
            if (table.record(slot).id !== id) return false;
          } else {
            const slot = table.slotOf(id);
            if ((slot === undefined) !== !model.has(id)) return false;
            if (slot !== undefined) {
              table.remove(slot);
              model.delete(id);
            }
          }
        }
        if (table.size !== model.size) return false;
      }
      // Every id the model holds is found, with its own columns; none it dropped is.
      for (const [id, gen] of model) {
        const slot = table.slotOf(id);
        if (slot === undefined || table.record(slot).id !== id || table.generations[slot] !== gen) return false;
      }
      for (let i = 0; i <= 300; i++) if (!model.has(`ID-${i}`) && table.slotOf(`ID-${i}`) !== undefined) return false;
      // Walking the slots gives insertion order (generation increases), holes skipped.
      const walk: number[] = [];
      for (let slot = 0; slot < table.end; slot++) if (table.records[slot] !== undefined) walk.push(table.generations[slot] as number);
      return walk.length === model.size && walk.every((g, i) => i === 0 || g > (walk[i - 1] as number));
    }),
  );
});

void t.test('TypeTable: ids whose hashes collide are told apart (break: a hit on the hash alone)', (t) => {
  const table = new TypeTable();
  // Many ids: with a 128-entry index every bucket is shared; each must still find its own slot.
  const ids = Array.from({ length: 5000 }, (_, i) => `id-${i}`);
  for (const id of ids) table.add({ id, name: id }, 1);
  t.ok(ids.every((id) => table.record(table.slotOf(id) as number).id === id));
  t.equal(table.slotOf('id-5000'), undefined);
  t.end();
});

void t.test('TypeTable: two ids with the same 32-bit hash are told apart, and either can go (break: a hash match taken as the id)', (t) => {
  // FNV-1a of 'CH-31327' and of 'CH-1189050' are both 611254989 (0x246f1acd): found by hashing
  // `CH-${i}` for i = 0, 1, 2... (the table's hashId) until two hashes met. Same hash: the same
  // home bucket, the second one placed after the first; only comparing the ids tells them apart.
  const a = 'CH-31327';
  const b = 'CH-1189050';
  const table = new TypeTable();
  table.add({ id: a, name: 'a' }, 1);
  t.equal(table.slotOf(b), undefined, 'the other id is not in the table');
  table.add({ id: b, name: 'b' }, 2);
  t.equal(table.record(table.slotOf(a) as number).name, 'a');
  t.equal(table.record(table.slotOf(b) as number).name, 'b');
  table.remove(table.slotOf(b) as number);
  t.equal(table.slotOf(b), undefined, 'the second one removed: gone (its index entry too)');
  t.equal(table.record(table.slotOf(a) as number).name, 'a');
  table.add({ id: b, name: 'b again' }, 3);
  table.remove(table.slotOf(a) as number);
  t.equal(table.slotOf(a), undefined, 'the first one removed: gone');
  t.equal(table.record(table.slotOf(b) as number).name, 'b again', 'the second found past the first one\'s deleted entry');
  t.end();
});

void t.test('TypeTable: removed ids stay gone when the index grows with holes in the slots (break: a rebuild indexes deleted slots)', (t) => {
  const table = new TypeTable();
  for (let i = 0; i < 40; i++) table.add({ id: `R-${i}`, name: `${i}` }, 1);
  for (let i = 0; i < 40; i += 4) table.remove(table.slotOf(`R-${i}`) as number);
  // 30 more: past the index's first size while the 10 holes are still slots (too few to squeeze).
  for (let i = 40; i < 70; i++) table.add({ id: `R-${i}`, name: `${i}` }, 2);
  t.equal(table.end, 70, 'holes kept: no squeeze yet');
  const wrong: string[] = [];
  for (let i = 0; i < 70; i++) {
    const slot = table.slotOf(`R-${i}`);
    const removed = i < 40 && i % 4 === 0;
    if (removed ? slot !== undefined : slot === undefined || table.record(slot).id !== `R-${i}`) wrong.push(`R-${i}`);
  }
  t.same(wrong, [], 'the 10 removed ids are not found, the 60 others are, each at its own slot');
  t.end();
});

void t.test('TypeTable: a squeeze that keeps more than the first index holds (break: the index sized for the slots before, not the entities kept)', (t) => {
  const table = new TypeTable();
  for (let i = 0; i < 300; i++) table.add({ id: `Q-${i}`, name: `${i}` }, i);
  for (let i = 0; i < 300; i++) if (i % 15 < 8) table.remove(table.slotOf(`Q-${i}`) as number);
  t.equal(table.size, 140);
  table.add({ id: 'Q-new', name: 'new' }, 300);
  t.equal(table.end, 141, 'squeezed: 160 holes were more than the 140 entities');
  const walk: string[] = [];
  for (let slot = 0; slot < table.end; slot++) walk.push(table.record(slot).id);
  const kept = Array.from({ length: 300 }, (_, i) => i).filter((i) => i % 15 >= 8);
  t.same(walk, [...kept.map((i) => `Q-${i}`), 'Q-new'], 'insertion order kept');
  t.ok(
    kept.every((i) => table.generations[table.slotOf(`Q-${i}`) as number] === i),
    'every kept id found, with its own column values',
  );
  t.ok(
    Array.from({ length: 300 }, (_, i) => i).every((i) => i % 15 >= 8 || table.slotOf(`Q-${i}`) === undefined),
    'no removed id found',
  );
  t.end();
});

void t.test('an SC entity asked for is kept: same object, edits stay until the next update, which overwrites them (break: a new object per look)', (t) => {
  const s = new SyncedEntities('role', new AlarmRegistry());
  s.beginFullSync();
  s.upsert('cardholders', { id: 'CH-1', name: 'Anna' }, config());
  const a = s.scEntitiesOf('cardholders', 'CH-1')[0];
  t.ok(a);
  t.equal(s.firstScEntityOf('cardholders', 'CH-1'), a, 'the same object');
  t.equal(s.find('CH-1'), a);
  if (!a) return t.end();
  a.name = 'Edited';
  t.equal(s.find('Edited'), a, 'found by the name SC shows');
  t.equal(s.find('Anna'), undefined, 'no longer by the old one');
  s.upsert('cardholders', { id: 'CH-1', name: 'Anna B' }, config());
  t.equal(a.name, 'Anna B', 'one-way sync: the update overwrites the edit');
  t.equal(a.fields.name, 'Anna B');
  t.equal(s.ops.updates, 1);
  t.end();
});

void t.test('SC ids: numbered in creation order, a unit gets two in a row, found by SC id (break: ids from the slot -> reused after a delete)', (t) => {
  const s = new SyncedEntities('role', new AlarmRegistry(), 'SC7');
  s.beginFullSync();
  s.upsert('units', { id: 'UN-1', name: 'U' }, config());
  s.upsert('doorsets', { id: 'DS-1', name: 'D' }, config());
  t.same(
    s.scEntitiesOf('units', 'UN-1').map((e) => [e.id, e.type]),
    [
      ['SC7-1', 'accessControlUnit'],
      ['SC7-2', 'intrusionUnit'],
    ],
  );
  t.equal(s.find('SC7-3')?.sipassId, 'DS-1');
  t.equal(s.find('SC7-2', 'intrusionUnit')?.sipassId, 'UN-1');
  t.equal(s.find('SC7-2', 'accessControlUnit'), undefined, 'the id is of the other type');
  t.equal(s.find('SC7-03'), undefined, 'not an id this store makes');
  t.equal(s.find('SC-3'), undefined, 'another prefix');
  s.delete('doorsets', 'DS-1');
  s.upsert('doorsets', { id: 'DS-2', name: 'D2' }, config());
  t.equal(s.scEntitiesOf('doorsets', 'DS-2')[0]?.id, 'SC7-4', 'a new id, never a deleted one');
  t.same(s.countsByScType().accessControlUnit, 1);
  t.equal(s.count('door'), 1);
  t.equal(s.count('intrusionUnit'), 1);
  t.same([...s.entities()].map((e) => e.id), ['SC7-4', 'SC7-1', 'SC7-2'], 'by SiPass type in streaming order (doorsets before units), then sync order');
  t.end();
});

void t.test('a workgroup turning visitor and back: created, then destroyed, counts follow (break: a reshape keeps the old code)', (t) => {
  const alarms = new AlarmRegistry();
  const s = new SyncedEntities('role', alarms);
  s.beginFullSync();
  s.upsert('workgroups', { id: 'WG-1', name: 'W', visitor: false }, config());
  t.equal(s.count('cardholderGroup'), 0);
  t.same(s.scEntitiesOf('workgroups', 'WG-1'), []);
  s.upsert('workgroups', { id: 'WG-1', name: 'W', visitor: true }, config());
  t.equal(s.count('cardholderGroup'), 1);
  const g = s.firstScEntityOf('workgroups', 'WG-1');
  t.equal(g?.type, 'cardholderGroup');
  s.upsert('workgroups', { id: 'WG-1', name: 'W', visitor: false }, config());
  t.equal(s.count('cardholderGroup'), 0);
  t.equal(s.firstScEntityOf('workgroups', 'WG-1'), undefined);
  t.same(s.ops, { creates: 1, updates: 0, deletes: 1 });
  t.end();
});

void t.test('alarm entities: objects from creation, in the registry, updated and removed with their class (break: alarm built on demand -> registry misses it)', (t) => {
  const alarms = new AlarmRegistry();
  const s = new SyncedEntities('role', alarms);
  s.beginFullSync();
  s.upsert('alarmClasses', { id: 'AC-1', name: 'Tamper', priority: 3 }, config());
  const a = s.alarmFor('AC-1');
  t.ok(a);
  t.equal(alarms.get(a?.id ?? ''), a, 'the registry holds the same object');
  t.same(a?.recipients, ['alice']);
  s.upsert('alarmClasses', { id: 'AC-1', name: 'Tamper 2', priority: 9 }, config());
  t.equal(a?.priority, 9);
  t.equal(a?.name, 'Tamper 2');
  t.same(s.pluginAlarms(), [a]);
  s.beginFullSync();
  t.equal(s.endFullSync(['alarmClasses']), 1, 'not seen in this sync: swept');
  t.equal(alarms.get(a?.id ?? ''), undefined);
  t.equal(s.count('alarm'), 0);
  t.end();
});

void t.test('a custom event and an event source are found without a list (break: firstScEntityOf of an entity mapping to none)', (t) => {
  const s = new SyncedEntities('role', new AlarmRegistry());
  s.beginFullSync();
  s.upsert('eventTypes', { id: 'ET-1', name: 'Door opened' }, config());
  s.upsert('credentials', { id: 'CR-1', name: 'C', cardholderId: 'CH-1', ordinal: 1 }, config({ credentialSync: false }));
  t.equal(s.customEventFor('ET-1')?.name, 'Door opened');
  t.equal(s.customEventFor('ET-2'), undefined);
  t.equal(s.firstScEntityOf('credentials', 'CR-1'), undefined, 'credential sync off: no SC credential');
  t.end();
});

void t.test('nativeEventFor answers the same from its cache, whatever the spelling (break: the cache keyed by key, not name)', (t) => {
  t.equal(nativeEventFor('Badge Collision'), 'Access denied');
  t.equal(nativeEventFor('Badge Collision'), 'Access denied', 'from the cache');
  t.equal(nativeEventFor('  badge   collision '), 'Access denied');
  t.equal(nativeEventFor('Door opened'), null);
  t.equal(nativeEventFor('Door opened'), null, 'a miss is cached too');
  for (let i = 0; i < 5000; i++) nativeEventFor(`Event type ${i}`);
  t.equal(nativeEventFor('Communication Lost'), 'Unit lost', 'still right after the cache filled and was cleared');
  t.end();
});
