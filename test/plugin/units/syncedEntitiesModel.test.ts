// The role's store (plugin/sync/syncedEntities.ts) against a plain reference model (issue 13:
// its mutation run left 66 survivors that the example tests did not reach). fast-check drives
// random live upserts and deletes, whole full syncs and a sync's begin and end apart, credential
// sync switched (remap), new alarm recipients on the Properties tab, an operator renaming an SC
// entity, bulk runs of one type (past the tables' 64 slots: growth, rebuilds, squeezes), clear().
// The model is Maps in insertion order and the rules themselves:
// - R7: a full sync removes what it did not see, and every entity of a type it did not sync;
// - R8: each SiPass entity becomes mapToScTypes' list; SC ids are "<prefix>-<n>", numbered in
//   creation order, a unit's two in a row, kept while the entity keeps its list (the same
//   objects, following each update), new ones (never a used number) when a list is made again;
// - R14: a cardholder's credential maps only while it is the first in SiPass's order, computed
//   here from scratch over every credential held;
// - R4/R5: an alarm entity copies the recipients and partitions of the Properties tab at its
//   creation, its priority and name follow the record;
// - the digest equals one computed from scratch over the records held; counts, sources, ops
//   (creates, deletes), entities() in SiPass type order then sync order, find(), pluginAlarms().
// The SC objects are looked at only at some steps (`look`), so both the store's paths run: SC
// entities still numbers, and objects already handed out. In memory, no clock, ~1-2 CPU-s.
import fc from 'fast-check';
import t from 'tap';
import { fcAssert } from '../../helpers/fcRun.js';
import type { PluginConfig } from '../../../plugin/config/pluginConfig.js';
import { AlarmRegistry } from '../../../plugin/securitycenter/alarmRegistry.js';
import { mapToScTypes } from '../../../plugin/securitycenter/mapping.js';
import { SC_TYPES, type AlarmEntity, type ScEntity, type ScType } from '../../../plugin/securitycenter/scTypes.js';
import { compareCredentials, holderOf } from '../../../plugin/sync/credentialOrder.js';
import { SyncedEntities } from '../../../plugin/sync/syncedEntities.js';
import { SIPASS_TYPES, type SiPassRecord, type SiPassType } from '../../../protocol/sipassTypes.js';
import { SiteDigest } from '../../../protocol/siteDigest.js';

const NAMES = ['Front', 'Back', 'Side'];

/** A record of `type` from small numbers (few ids, names shared across types, so finds collide). */
function recordOf(type: SiPassType, id: string, name: number, a: number, b: number): SiPassRecord {
  const r: SiPassRecord = { id, name: NAMES[name] as string };
  if (type === 'credentials') {
    if (a !== 3) r.cardholderId = `H${a % 2}`;
    if (b !== 3) r.ordinal = b;
  } else if (type === 'workgroups') r.visitor = a % 2 === 0;
  else if (type === 'alarmClasses') {
    if (b !== 3) r.priority = b + 1;
  } else r.address = a;
  return r;
}

// Credentials weigh most (R14's first credential has the most paths), then units (two SC
// entities each) and alarm classes (objects from their creation); every type comes up.
const someType: fc.Arbitrary<SiPassType> = fc.oneof(
  { arbitrary: fc.constant('credentials' as const), weight: 6 },
  { arbitrary: fc.constantFrom<SiPassType>('units', 'alarmClasses', 'workgroups'), weight: 5 },
  { arbitrary: fc.constantFrom(...SIPASS_TYPES), weight: 4 },
);
const spec = fc.record({
  type: someType,
  id: fc.integer({ min: 0, max: 4 }),
  name: fc.integer({ min: 0, max: 2 }),
  a: fc.integer({ min: 0, max: 3 }),
  b: fc.integer({ min: 0, max: 3 }),
});
type Spec = { type: SiPassType; id: number; name: number; a: number; b: number };
const recordFor = (s: Spec): [SiPassType, SiPassRecord] => [s.type, recordOf(s.type, `${s.type}-${s.id}`, s.name, s.a, s.b)];

const someTypes = fc.oneof({ arbitrary: fc.constant([...SIPASS_TYPES]), weight: 3 }, { arbitrary: fc.subarray([...SIPASS_TYPES]), weight: 1 });

const op = fc.oneof(
  { arbitrary: fc.record({ k: fc.constant('upsert' as const), s: spec }), weight: 12 },
  { arbitrary: fc.record({ k: fc.constant('delete' as const), s: spec }), weight: 4 },
  { arbitrary: fc.record({ k: fc.constant('sync' as const), items: fc.array(spec, { maxLength: 12 }), types: someTypes }), weight: 2 },
  { arbitrary: fc.record({ k: fc.constant('begin' as const) }), weight: 1 },
  { arbitrary: fc.record({ k: fc.constant('end' as const), types: someTypes }), weight: 1 },
  { arbitrary: fc.record({ k: fc.constant('remap' as const), on: fc.boolean() }), weight: 2 },
  { arbitrary: fc.record({ k: fc.constant('recipients' as const), list: fc.subarray(['Guards', 'Night', 'Boss']), parts: fc.subarray(['P1', 'P2']) }), weight: 1 },
  { arbitrary: fc.record({ k: fc.constant('edit' as const), s: spec, name: fc.constantFrom('Front', 'Edited') }), weight: 2 },
  { arbitrary: fc.record({ k: fc.constant('look' as const) }), weight: 3 },
  { arbitrary: fc.record({ k: fc.constant('clear' as const) }), weight: 1 },
  {
    arbitrary: fc.record({
      k: fc.constant('bulk' as const),
      type: fc.constantFrom<SiPassType>('doorsets', 'units', 'credentials'),
      start: fc.integer({ min: 0, max: 150 }),
      n: fc.integer({ min: 1, max: 120 }),
      del: fc.boolean(),
    }),
    weight: 1,
  },
);
type Op = typeof op extends fc.Arbitrary<infer O> ? O : never;

interface Entry {
  record: SiPassRecord;
  /** The full sync that last saw it (R7). */
  gen: number;
  want: readonly ScType[];
  /** Its SC entities when last looked at, and whether they must have been made again since. */
  objects?: ScEntity[];
  renewed: boolean;
  /** An operator's name on its first SC entity (until the next update overwrites it). */
  edited?: string;
  /** R4/R5: the Properties tab's lists when its alarm entity was made. */
  recipients?: string[];
  partitions?: string[];
}

class Model {
  readonly tables = new Map<SiPassType, Map<string, Entry>>(SIPASS_TYPES.map((type) => [type, new Map()]));
  config: PluginConfig = { host: 'h', port: 5645, alarmRecipients: ['Guards'], alarmPartitions: ['P1'], credentialSync: true };
  gen = 0;
  creates = 0;
  deletes = 0;
  /** The highest SC id number looked at so far: a new SC entity gets a higher one. */
  maxSeen = 0;

  entry(type: SiPassType, id: string): Entry | undefined {
    return (this.tables.get(type) as Map<string, Entry>).get(id);
  }

  upsert(type: SiPassType, record: SiPassRecord): void {
    const table = this.tables.get(type) as Map<string, Entry>;
    const e = table.get(record.id);
    if (e) {
      e.record = record;
      e.gen = this.gen;
      e.edited = undefined;
    } else table.set(record.id, { record, gen: this.gen, want: [], renewed: false });
  }

  remove(type: SiPassType, id: string): boolean {
    const table = this.tables.get(type) as Map<string, Entry>;
    const e = table.get(id);
    if (!e) return false;
    this.deletes += e.want.length;
    table.delete(id);
    return true;
  }

  /** R7: what the sync did not see leaves; the number of SiPass entities removed. */
  endSync(types: readonly SiPassType[]): number {
    let removed = 0;
    for (const [type, table] of this.tables) {
      for (const [id, e] of [...table]) {
        if (!types.includes(type) || e.gen !== this.gen) {
          this.remove(type, id);
          removed++;
        }
      }
    }
    return removed;
  }

  /** Every entity's list from the rules, after each step; a changed list is destroyed and made again. */
  settle(): void {
    const first = new Map<string, SiPassRecord>();
    for (const e of (this.tables.get('credentials') as Map<string, Entry>).values()) {
      const h = holderOf(e.record);
      const f = first.get(h);
      if (!f || compareCredentials(e.record, f) < 0) first.set(h, e.record);
    }
    for (const [type, table] of this.tables) {
      for (const e of table.values()) {
        let want = mapToScTypes(type, e.record, this.config);
        if (type === 'credentials' && first.get(holderOf(e.record)) !== e.record) want = [];
        if (want.join() === e.want.join()) continue;
        this.deletes += e.want.length;
        this.creates += want.length;
        e.want = want;
        e.renewed = true;
        e.edited = undefined;
        if (want.includes('alarm')) {
          e.recipients = [...this.config.alarmRecipients];
          e.partitions = [...this.config.alarmPartitions];
        }
      }
    }
  }

  records(): Array<[SiPassType, Entry]> {
    const out: Array<[SiPassType, Entry]> = [];
    for (const [type, table] of this.tables) for (const e of table.values()) out.push([type, e]);
    return out;
  }
}

const sameRecord = (a: SiPassRecord | undefined, b: SiPassRecord): boolean =>
  a !== undefined && Object.keys(a).length === Object.keys(b).length && Object.keys(b).every((k) => a[k] === b[k]);

/** The checks that make no SC object (so the store's "still numbers" path stays as it was). */
function checkCheap(s: SyncedEntities, alarms: AlarmRegistry, m: Model): string | undefined {
  const all = m.records();
  if (s.totalSources() !== all.length) return `totalSources ${s.totalSources()} != ${all.length}`;
  for (const type of SIPASS_TYPES) {
    const n = (m.tables.get(type) as Map<string, Entry>).size;
    if (s.sourceCount(type) !== n) return `sourceCount(${type}) ${s.sourceCount(type)} != ${n}`;
  }
  const counts = Object.fromEntries(SC_TYPES.map((x) => [x, 0])) as Record<ScType, number>;
  for (const [, e] of all) for (const x of e.want) counts[x]++;
  const got = s.countsByScType();
  for (const x of SC_TYPES) {
    if (got[x] !== counts[x]) return `countsByScType().${x} ${got[x]} != ${counts[x]}`;
    if (s.count(x) !== counts[x]) return `count(${x}) ${s.count(x)} != ${counts[x]}`;
  }
  if (Object.keys(got).length !== SC_TYPES.length) return `countsByScType() has ${Object.keys(got).join()}`;
  const d = new SiteDigest();
  for (const [type, e] of all) d.add(type, e.record);
  if (s.digestString() !== d.toString()) return `digest ${s.digestString()} != from scratch ${d.toString()}`;
  if (s.ops.creates !== m.creates || s.ops.deletes !== m.deletes) return `ops ${JSON.stringify(s.ops)} != creates ${m.creates}, deletes ${m.deletes}`;
  for (const type of SIPASS_TYPES) {
    for (let i = 0; i <= 4; i++) {
      const id = `${type}-${i}`;
      const e = m.entry(type, id);
      const r = s.record(type, id);
      if (e ? !sameRecord(r, e.record) : r !== undefined) return `record(${type}, ${id}) ${JSON.stringify(r)} != ${JSON.stringify(e?.record)}`;
    }
  }
  // R4/R5: the registry holds exactly the plugin's alarm entities, each with the lists of its creation.
  const listed = alarms.list();
  const classes = [...(m.tables.get('alarmClasses') as Map<string, Entry>).values()];
  if (listed.length !== classes.length) return `${listed.length} alarms in the registry, ${classes.length} alarm classes`;
  for (const e of classes) {
    const a = listed.find((x) => x.sipassId === e.record.id);
    if (!a) return `no alarm entity for ${e.record.id}`;
    const priority = typeof e.record.priority === 'number' ? e.record.priority : 1;
    if (a.priority !== priority || a.createdBy !== 'role-a' || a.sipassType !== 'alarmClasses' || a.type !== 'alarm') return `alarm ${a.id}: ${JSON.stringify(a)}`;
    if (a.recipients.join() !== e.recipients?.join() || a.partitions.join() !== e.partitions?.join()) return `alarm ${a.id} recipients/partitions ${a.recipients.join()}/${a.partitions.join()}, made with ${e.recipients?.join()}/${e.partitions?.join()}`;
    if (a.name !== (e.edited ?? e.record.name) || !sameRecord(a.fields as SiPassRecord, e.record)) return `alarm ${a.id} name/fields ${a.name} ${JSON.stringify(a.fields)}`;
  }
  return undefined;
}

/** Every SC entity as an object: ids kept or new, identity kept, fields, order, find(). */
function checkObjects(s: SyncedEntities, prefix: string, m: Model): string | undefined {
  const flat: ScEntity[] = [];
  let seen = m.maxSeen;
  const used = new Set<number>();
  for (const [type, e] of m.records()) {
    const list = s.scEntitiesOf(type, e.record.id);
    const where = `${type} ${e.record.id}`;
    if (list.map((x) => x.type).join() !== e.want.join()) return `${where}: SC types ${list.map((x) => x.type).join()} != ${e.want.join()}`;
    const numbers = list.map((x) => (x.id.startsWith(`${prefix}-`) ? Number(x.id.slice(prefix.length + 1)) : NaN));
    for (let k = 0; k < list.length; k++) {
      const x = list[k] as ScEntity;
      const n = numbers[k] as number;
      if (!Number.isInteger(n) || n < 1 || x.id !== `${prefix}-${n}`) return `${where}: SC id ${x.id}`;
      if (k > 0 && n !== (numbers[k - 1] as number) + 1) return `${where}: SC ids not in a row ${x.id}`;
      if (used.has(n)) return `${where}: SC id ${x.id} used twice`;
      used.add(n);
      if (e.renewed || !e.objects) {
        if (n <= m.maxSeen) return `${where}: a new SC entity got ${x.id}, not above ${m.maxSeen}`;
      } else if (x !== e.objects[k]) return `${where}: SC entity ${x.id} is not the object handed out before (${e.objects[k]?.id})`;
      seen = Math.max(seen, n);
      if (x.sipassType !== type || x.sipassId !== e.record.id || !sameRecord(x.fields as SiPassRecord, e.record)) return `${where}: ${JSON.stringify(x)}`;
      const name = k === 0 && e.edited !== undefined ? e.edited : e.record.name;
      if (x.name !== name) return `${where}: name ${x.name} != ${name}`;
      if (x.type === 'alarm') {
        const a = x as AlarmEntity;
        if (a.recipients.join() !== e.recipients?.join()) return `${where}: recipients ${a.recipients.join()}`;
      } else if (Object.keys(x).sort().join() !== 'fields,id,name,sipassId,sipassType,type') return `${where}: an SC ${x.type} with the fields ${Object.keys(x).join()}`;
    }
    if (s.scEntitiesOf(type, e.record.id).some((x, k) => x !== list[k])) return `${where}: a second look gives other objects`;
    if (s.firstScEntityOf(type, e.record.id) !== list[0]) return `${where}: firstScEntityOf`;
    if (type === 'eventTypes' && s.customEventFor(e.record.id) !== list[0]) return `${where}: customEventFor`;
    if (type === 'alarmClasses' && s.alarmFor(e.record.id) !== list[0]) return `${where}: alarmFor`;
    e.objects = list as ScEntity[];
    e.renewed = false;
    flat.push(...list);
  }
  m.maxSeen = seen;
  for (const type of SIPASS_TYPES) {
    const absent = `${type}-9`;
    if (s.scEntitiesOf(type, absent).length !== 0 || s.firstScEntityOf(type, absent) !== undefined) return `${absent} has SC entities`;
  }
  const ids = (xs: Iterable<ScEntity>) => [...xs].map((x) => x.id).join();
  if (ids(s.entities()) !== ids(flat)) return `entities() ${ids(s.entities())} != ${ids(flat)}`;
  for (const x of SC_TYPES) if (ids(s.entities(x)) !== ids(flat.filter((y) => y.type === x))) return `entities(${x})`;
  if (ids(s.pluginAlarms()) !== ids(flat.filter((y) => y.type === 'alarm'))) return `pluginAlarms() ${ids(s.pluginAlarms())}`;
  // find(): the first in entities() order by SC id, SiPass id or the name SC shows.
  const refs = [...NAMES, 'Edited', 'doorsets-1', 'units-2', 'credentials-0', `${prefix}-0`, `${prefix}-01`, `${prefix}-${seen + 1}`, 'SC9-1', ...flat.slice(0, 6).map((x) => x.id), ...flat.slice(-3).map((x) => x.id)];
  for (const ref of refs) {
    for (const scType of [undefined, 'door', 'intrusionUnit', 'credential'] as Array<ScType | undefined>) {
      const want = flat.find((x) => (scType === undefined || x.type === scType) && (x.id === ref || x.sipassId === ref || x.name === ref));
      const got = s.find(ref, scType);
      if (got !== want) return `find(${ref}, ${scType}) ${got?.id} != ${want?.id}`;
    }
  }
  return undefined;
}

function run(ops: Op[], prefix: string): string | undefined {
  const alarms = new AlarmRegistry();
  const s = prefix === 'SC' ? new SyncedEntities('role-a', alarms) : new SyncedEntities('role-a', alarms, prefix);
  const m = new Model();
  let step = 0;
  for (const o of ops) {
    step++;
    switch (o.k) {
      case 'upsert': {
        const [type, r] = recordFor(o.s);
        s.upsert(type, r, m.config);
        m.upsert(type, r);
        break;
      }
      case 'delete': {
        const [type, r] = recordFor(o.s);
        const got = s.delete(type, r.id);
        if (got !== m.remove(type, r.id)) return `step ${step}: delete(${type}, ${r.id}) returned ${got}`;
        break;
      }
      case 'sync':
      case 'begin':
      case 'end': {
        if (o.k !== 'end') {
          s.beginFullSync();
          m.gen++;
        }
        if (o.k === 'sync') {
          for (const item of o.items) {
            const [type, r] = recordFor(item);
            s.upsert(type, r, m.config);
            m.upsert(type, r);
            m.settle();
          }
        }
        if (o.k !== 'begin') {
          const got = s.endFullSync(o.types);
          const want = m.endSync(o.types);
          if (got !== want) return `step ${step}: endFullSync(${o.types.join()}) removed ${got}, not ${want}`;
        }
        break;
      }
      case 'remap':
        m.config = { ...m.config, credentialSync: o.on };
        s.remap(m.config);
        for (const [, e] of m.records()) e.edited = undefined;
        break;
      case 'recipients':
        m.config = { ...m.config, alarmRecipients: o.list, alarmPartitions: o.parts };
        break;
      case 'edit': {
        const [type, r] = recordFor(o.s);
        const e = m.entry(type, r.id);
        // Credentials are left out: a settle of the holder refreshes them too (the model does not say when).
        if (type === 'credentials' || !e || e.want.length === 0) break;
        (s.firstScEntityOf(type, r.id) as ScEntity).name = o.name;
        e.edited = o.name;
        break;
      }
      case 'look':
        break;
      case 'clear':
        s.clear();
        for (const [type, e] of m.records()) m.remove(type, e.record.id);
        break;
      case 'bulk': {
        for (let i = o.start; i < o.start + o.n; i++) {
          const r = recordOf(o.type, `${o.type}-b${i}`, i % 3, i % 4, (i >> 2) % 4);
          if (o.del) {
            const got = s.delete(o.type, r.id);
            if (got !== m.remove(o.type, r.id)) return `step ${step}: bulk delete(${r.id}) returned ${got}`;
          } else {
            s.upsert(o.type, r, m.config);
            m.upsert(o.type, r);
          }
          m.settle();
        }
        break;
      }
    }
    m.settle();
    const problem = checkCheap(s, alarms, m) ?? (o.k === 'look' || o.k === 'edit' || step === ops.length ? checkObjects(s, prefix, m) : undefined);
    if (problem) return `step ${step} (${o.k}): ${problem}`;
  }
  return undefined;
}

void t.test('SyncedEntities against a reference model: R7 sweep, R8 lists and kept SC ids, R14 first credential, R4/R5 alarms, digest, counts, order, find', async (t) => {
  await fcAssert(
    t,
    fc.property(fc.array(op, { maxLength: 40 }), fc.constantFrom('SC', 'SC2'), (ops, prefix) => {
      const problem = run(ops, prefix);
      if (problem) throw new Error(problem);
    }),
    { includeErrorInReport: true },
  );
});
