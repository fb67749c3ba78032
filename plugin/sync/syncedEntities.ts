import { SIPASS_TYPES, type SiPassRecord, type SiPassType } from '../../protocol/sipassTypes.js';
import { SiteDigest } from '../../protocol/siteDigest.js';
import type { PluginConfig } from '../config/pluginConfig.js';
import type { AlarmRegistry } from '../securitycenter/alarmRegistry.js';
import { mapToScTypes } from '../securitycenter/mapping.js';
import { compareCredentials, holderOf } from './credentialOrder.js';
import { SC_TYPES, type AlarmEntity, type ScEntity, type ScType } from '../securitycenter/scTypes.js';

/**
 * The SC entities one SiPass entity became: most become exactly one, stored bare (an array per
 * entity costs 56 bytes on a million-entity sync); none is the shared empty array; several (a
 * unit) an exact-size array. Read them through `scList`.
 */
type ScEntities = ScEntity | readonly ScEntity[];

/** One SiPass entity the role holds, and the SC entities it became. */
interface SourceEntry {
  record: SiPassRecord;
  entities: ScEntities;
  /** The full sync that last saw it; older ones are swept at the sync's end. */
  generation: number;
}

/** Counted store operations (issue: work per entity is constant; counted, not timed). */
export interface StoreOps {
  creates: number;
  updates: number;
  deletes: number;
}

/**
 * The SiPass plugin's node in the entity browser: every SiPass entity the
 * role synchronized, keyed by its SiPass id, and the SC entities they map to
 * (R7, R8). Updates keep the SC id; a full sync sweeps what it did not see.
 */
export class SyncedEntities {
  private readonly sources = new Map<SiPassType, Map<string, SourceEntry>>();
  private readonly counts = new Map<ScType, number>();
  private readonly digest = new SiteDigest();
  private nextId = 1;
  private generation = 0;
  /** R14: each cardholder's first credential id (in SiPass's order), by cardholder id. */
  private readonly firstCredential = new Map<string, string>();
  /** Cardholders whose first credential must be looked for again (its first was deleted or moved). */
  private readonly holdersToSettle = new Set<string>();
  /** The last Properties tab seen (credential sync switch) for re-deriving credentials. */
  private lastConfig: PluginConfig | null = null;
  readonly ops: StoreOps = { creates: 0, updates: 0, deletes: 0 };

  constructor(
    private readonly roleName: string,
    private readonly alarms: AlarmRegistry,
    private readonly idPrefix = 'SC',
  ) {
    for (const t of SIPASS_TYPES) this.sources.set(t, new Map());
    for (const t of SC_TYPES) this.counts.set(t, 0);
  }

  private table(type: SiPassType): Map<string, SourceEntry> {
    return this.sources.get(type) as Map<string, SourceEntry>;
  }

  /** Starts a full sync: what it does not see by `endFullSync` is removed. */
  beginFullSync(): void {
    this.generation++;
  }

  /** Creates or updates (in place, same SC ids) the SC entities of one SiPass entity. */
  upsert(type: SiPassType, record: SiPassRecord, config: PluginConfig): void {
    this.lastConfig = config;
    const table = this.table(type);
    const entry = table.get(record.id);
    if (type === 'credentials') this.placeCredential(entry?.record, record);
    const want = this.wantOf(type, record, config);
    if (entry) {
      this.digest.remove(type, entry.record);
      entry.record = record;
      entry.generation = this.generation;
      this.reshape(entry, type, record, want, config);
    } else {
      const entities = want.length === 1 ? this.create(want[0] as ScType, type, record, config) : compact(want.map((scType) => this.create(scType, type, record, config)));
      table.set(record.id, { record, entities, generation: this.generation });
    }
    this.digest.add(type, record);
    if (type === 'credentials' && !this.sweeping) this.settleCredentials();
  }

  private sweeping = false;

  /** The SC types one SiPass entity maps to; a credential only while it is its holder's first (R14). */
  private wantOf(type: SiPassType, record: SiPassRecord, config: PluginConfig): readonly ScType[] {
    const want = mapToScTypes(type, record, config);
    if (type !== 'credentials' || want.length === 0) return want;
    return this.firstCredential.get(holderOf(record)) === record.id ? want : [];
  }

  /** Keeps `firstCredential` right as a credential arrives or changes (before it is stored). */
  private placeCredential(before: SiPassRecord | undefined, after: SiPassRecord): void {
    const holder = holderOf(after);
    if (before && holderOf(before) !== holder && this.firstCredential.get(holderOf(before)) === before.id) {
      this.firstCredential.delete(holderOf(before));
      this.holdersToSettle.add(holderOf(before));
    }
    const currentId = this.firstCredential.get(holder);
    if (currentId === undefined) {
      this.firstCredential.set(holder, after.id);
      return;
    }
    if (currentId === after.id) {
      // The first moved back in the order: another may come before it now.
      if (before && compareCredentials(after, before) > 0) this.holdersToSettle.add(holder);
      return;
    }
    const current = this.table('credentials').get(currentId)?.record;
    if (!current || compareCredentials(after, current) < 0) {
      this.firstCredential.set(holder, after.id);
      if (current) this.holdersToSettle.add(holder);
    }
  }

  /**
   * Finds each unsettled cardholder's first credential again (one pass over the credentials) and
   * re-derives the SC credential of each of that cardholder's credentials: the new first is
   * synchronized, a former first leaves SC.
   */
  private settleCredentials(): void {
    if (this.holdersToSettle.size === 0) return;
    const holders = new Set(this.holdersToSettle);
    this.holdersToSettle.clear();
    const members = new Map<string, SourceEntry[]>();
    for (const entry of this.table('credentials').values()) {
      const h = holderOf(entry.record);
      if (!holders.has(h)) continue;
      const list = members.get(h);
      if (list) list.push(entry);
      else members.set(h, [entry]);
    }
    for (const h of holders) {
      const list = members.get(h) ?? [];
      let first: SourceEntry | undefined;
      for (const e of list) if (!first || compareCredentials(e.record, first.record) < 0) first = e;
      if (first) this.firstCredential.set(h, first.record.id);
      else this.firstCredential.delete(h);
      if (!this.lastConfig) continue;
      for (const e of list) this.reshape(e, 'credentials', e.record, this.wantOf('credentials', e.record, this.lastConfig), this.lastConfig);
    }
  }

  private reshape(entry: SourceEntry, type: SiPassType, record: SiPassRecord, want: readonly ScType[], config: PluginConfig): void {
    const keep: ScEntity[] = [];
    for (const sc of scList(entry.entities)) {
      if (want.includes(sc.type)) {
        sc.name = record.name;
        sc.fields = record;
        if (sc.type === 'alarm') (sc as AlarmEntity).priority = priorityOf(record);
        this.ops.updates++;
        keep.push(sc);
      } else {
        this.destroy(sc);
      }
    }
    for (const scType of want) if (!keep.some((e) => e.type === scType)) keep.push(this.create(scType, type, record, config));
    entry.entities = compact(keep);
  }

  private create(scType: ScType, type: SiPassType, record: SiPassRecord, config: PluginConfig): ScEntity {
    const id = `${this.idPrefix}-${this.nextId++}`;
    this.counts.set(scType, (this.counts.get(scType) ?? 0) + 1);
    this.ops.creates++;
    if (scType === 'alarm') {
      // R4: recipients are a copy of the role's list at creation. R5: exactly the configured partitions.
      const a: AlarmEntity = {
        id,
        type: 'alarm',
        name: record.name,
        sipassType: type,
        sipassId: record.id,
        fields: record,
        priority: priorityOf(record),
        recipients: [...config.alarmRecipients],
        partitions: [...config.alarmPartitions],
        createdBy: this.roleName,
      };
      this.alarms.put(a);
      return a;
    }
    return { id, type: scType, name: record.name, sipassType: type, sipassId: record.id, fields: record };
  }

  private destroy(sc: ScEntity): void {
    this.counts.set(sc.type, (this.counts.get(sc.type) ?? 1) - 1);
    this.ops.deletes++;
    if (sc.type === 'alarm') this.alarms.remove(sc.id);
  }

  delete(type: SiPassType, id: string): boolean {
    const table = this.table(type);
    const entry = table.get(id);
    if (!entry) return false;
    for (const sc of scList(entry.entities)) this.destroy(sc);
    this.digest.remove(type, entry.record);
    table.delete(id);
    if (type === 'credentials') {
      const holder = holderOf(entry.record);
      if (this.firstCredential.get(holder) === id) {
        // R14: the next credential in SiPass's order becomes the first and is synchronized.
        this.firstCredential.delete(holder);
        this.holdersToSettle.add(holder);
        if (!this.sweeping) this.settleCredentials();
      }
    }
    return true;
  }

  /**
   * Ends a full sync of `types`: entities of those types not seen since
   * beginFullSync are gone from SiPass and leave SC; types not synced at all
   * (credentials with credential sync off) are emptied.
   */
  endFullSync(types: readonly SiPassType[]): number {
    let removed = 0;
    this.sweeping = true;
    for (const type of SIPASS_TYPES) {
      const table = this.table(type);
      const synced = types.includes(type);
      for (const [id, entry] of table) {
        if (!synced || entry.generation !== this.generation) {
          this.delete(type, id);
          removed++;
        }
      }
    }
    this.sweeping = false;
    this.settleCredentials();
    return removed;
  }

  /** Re-derives SC entities after a mapping switch (credential sync) changed. */
  remap(config: PluginConfig): void {
    this.lastConfig = config;
    for (const type of SIPASS_TYPES) {
      for (const entry of this.table(type).values()) this.reshape(entry, type, entry.record, this.wantOf(type, entry.record, config), config);
    }
  }

  /** The role is deleted: every SC entity it created leaves Security Center. */
  clear(): void {
    this.sweeping = true;
    for (const type of SIPASS_TYPES) for (const id of [...this.table(type).keys()]) this.delete(type, id);
    this.sweeping = false;
    this.firstCredential.clear();
    this.holdersToSettle.clear();
  }

  digestString(): string {
    return this.digest.toString();
  }

  count(scType: ScType): number {
    return this.counts.get(scType) ?? 0;
  }

  countsByScType(): Record<ScType, number> {
    const out = {} as Record<ScType, number>;
    for (const t of SC_TYPES) out[t] = this.counts.get(t) ?? 0;
    return out;
  }

  sourceCount(type: SiPassType): number {
    return this.table(type).size;
  }

  totalSources(): number {
    let n = 0;
    for (const t of this.sources.values()) n += t.size;
    return n;
  }

  record(type: SiPassType, id: string): SiPassRecord | undefined {
    return this.table(type).get(id)?.record;
  }

  /** The SC entities one SiPass entity became. */
  scEntitiesOf(type: SiPassType, id: string): readonly ScEntity[] {
    const entry = this.table(type).get(id);
    return entry ? scList(entry.entities) : NO_ENTITIES;
  }

  /** Every SC entity of one type, in sync order (the entity browser's expanded node). */
  *entities(scType?: ScType): Generator<ScEntity> {
    for (const table of this.sources.values()) {
      for (const entry of table.values()) {
        for (const sc of scList(entry.entities)) if (scType === undefined || sc.type === scType) yield sc;
      }
    }
  }

  /** Finds an SC entity by SC id, SiPass id or name (first match), optionally of one type. */
  find(ref: string, scType?: ScType): ScEntity | undefined {
    for (const sc of this.entities(scType)) if (sc.id === ref || sc.sipassId === ref || sc.name === ref) return sc;
    return undefined;
  }

  pluginAlarms(): AlarmEntity[] {
    const out: AlarmEntity[] = [];
    for (const entry of this.table('alarmClasses').values()) {
      for (const sc of scList(entry.entities)) if (sc.type === 'alarm') out.push(sc as AlarmEntity);
    }
    return out;
  }

  /** The custom event of a SiPass event type (R11), if synced. */
  customEventFor(eventTypeId: string): ScEntity | undefined {
    const entry = this.table('eventTypes').get(eventTypeId);
    return entry ? scList(entry.entities)[0] : undefined;
  }

  alarmFor(alarmClassId: string): AlarmEntity | undefined {
    const entry = this.table('alarmClasses').get(alarmClassId);
    return entry ? (scList(entry.entities)[0] as AlarmEntity | undefined) : undefined;
  }
}

/** The SC entities of a SiPass entity that maps to none (shared: one less array per such entity). */
const NO_ENTITIES: readonly ScEntity[] = Object.freeze([]);

/** The stored form of a list of SC entities (see ScEntities): bare when one, exact-size when more. */
function compact(list: ScEntity[]): ScEntities {
  if (list.length === 0) return NO_ENTITIES;
  if (list.length === 1) return list[0] as ScEntity;
  // A copy: `list` may have been grown by push (spare room); slice allocates exactly its length.
  return list.slice();
}

/** The SC entities of an entry as a list (a one-element array for a bare one: off the sync's hot path). */
function scList(e: ScEntities): readonly ScEntity[] {
  return isList(e) ? e : [e];
}

function isList(e: ScEntities): e is readonly ScEntity[] {
  return Array.isArray(e);
}

function priorityOf(r: SiPassRecord): number {
  return typeof r.priority === 'number' ? r.priority : 1;
}
