import { SIPASS_TYPES, type SiPassRecord, type SiPassType } from '../../protocol/sipassTypes.js';
import { SiteDigest } from '../../protocol/siteDigest.js';
import type { PluginConfig } from '../config/pluginConfig.js';
import type { AlarmRegistry } from '../securitycenter/alarmRegistry.js';
import { mapToScTypes } from '../securitycenter/mapping.js';
import { compareCredentials, holderOf } from './credentialOrder.js';
import { SC_TYPES, type AlarmEntity, type ScEntity, type ScType } from '../securitycenter/scTypes.js';
import { ScShapes } from './scShapes.js';
import { TypeTable } from './typeTable.js';

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
 *
 * Compact (issue 14): per SiPass type a TypeTable of columns; an SC entity is a slot's SC id
 * number and SC type until someone asks for it as an object (the entity browser, a command, an
 * event's source), then that object is kept, so it is the same object on every later look, an
 * operator's edit of it stays until the next sync overwrites it, and updates reach it. Alarm
 * entities are objects from their creation: the alarm registry holds them (R4, R5).
 */
export class SyncedEntities {
  private readonly tables = new Map<SiPassType, TypeTable>();
  private readonly shapes = new ScShapes();
  /** SC entities per shape code (a unit's slot counts once under its two-type code). */
  private byShape: number[] = [0];
  private readonly digest = new SiteDigest();
  private nextId = 1;
  private generation = 0;
  /** SC entities handed out as objects (and every alarm entity), by SC id number. */
  private readonly objects = new Map<number, ScEntity>();
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
    for (const t of SIPASS_TYPES) this.tables.set(t, new TypeTable());
  }

  private table(type: SiPassType): TypeTable {
    return this.tables.get(type) as TypeTable;
  }

  /** Starts a full sync: what it does not see by `endFullSync` is removed. */
  beginFullSync(): void {
    this.generation++;
  }

  /** Creates or updates (in place, same SC ids) the SC entities of one SiPass entity. */
  upsert(type: SiPassType, record: SiPassRecord, config: PluginConfig): void {
    this.lastConfig = config;
    const table = this.table(type);
    const slot = table.slotOf(record.id);
    if (type === 'credentials') this.placeCredential(slot === undefined ? undefined : table.record(slot), record);
    const want = this.wantOf(type, record, config);
    if (slot !== undefined) {
      this.digest.remove(type, table.record(slot));
      table.records[slot] = record;
      table.generations[slot] = this.generation;
      this.reshape(table, slot, type, record, want, config);
    } else {
      const added = table.add(record, this.generation);
      if (want.length > 0) this.createAll(table, added, type, record, this.shapes.code(want), config);
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
    const current = this.record('credentials', currentId);
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
    const table = this.table('credentials');
    const members = new Map<string, number[]>();
    for (let slot = 0; slot < table.end; slot++) {
      const r = table.records[slot];
      if (r === undefined) continue;
      const h = holderOf(r);
      if (!holders.has(h)) continue;
      const list = members.get(h);
      if (list) list.push(slot);
      else members.set(h, [slot]);
    }
    for (const h of holders) {
      const list = members.get(h) ?? [];
      let first: SiPassRecord | undefined;
      for (const slot of list) {
        const r = table.record(slot);
        if (!first || compareCredentials(r, first) < 0) first = r;
      }
      if (first) this.firstCredential.set(h, first.id);
      else this.firstCredential.delete(h);
      const config = this.lastConfig;
      if (!config) continue;
      for (const slot of list) {
        const r = table.record(slot);
        this.reshape(table, slot, 'credentials', r, this.wantOf('credentials', r, config), config);
      }
    }
  }

  /**
   * The slot's SC entities become `want`. The same list: updated in place (same SC ids). Another
   * list: the old ones are destroyed and the new ones created -- R8's mapping only ever switches
   * between a type's list and none (a workgroup's visitor flag, a credential that stops or starts
   * being its holder's first, credential sync switched), so no SC entity is both kept and re-made.
   */
  private reshape(table: TypeTable, slot: number, type: SiPassType, record: SiPassRecord, want: readonly ScType[], config: PluginConfig): void {
    const code = table.shapes[slot] as number;
    const wantCode = this.shapes.code(want);
    if (code === wantCode) {
      if (code === 0) return;
      const n = this.shapes.list(code).length;
      // Objects handed out follow the new record; the others are built from it when asked for.
      if (this.objects.size > 0) for (let k = 0; k < n; k++) this.refresh((table.scIds[slot] as number) + k, record);
      this.ops.updates += n;
      return;
    }
    if (code !== 0) this.destroyAll(table, slot, code);
    if (wantCode !== 0) this.createAll(table, slot, type, record, wantCode, config);
  }

  /** Creates the SC entities of shape `code` for an empty slot (consecutive SC ids). */
  private createAll(table: TypeTable, slot: number, type: SiPassType, record: SiPassRecord, code: number, config: PluginConfig): void {
    const list = this.shapes.list(code);
    table.shapes[slot] = code;
    this.byShape[code] = (this.byShape[code] ?? 0) + 1;
    table.scIds[slot] = this.nextId;
    for (const scType of list) this.create(scType, type, record, config);
  }

  /** Destroys the SC entities of a slot of shape `code` (not 0); the slot is left empty. */
  private destroyAll(table: TypeTable, slot: number, code: number): void {
    const first = table.scIds[slot] as number;
    this.shapes.list(code).forEach((scType, k) => this.destroy(scType, first + k));
    this.byShape[code] = (this.byShape[code] ?? 0) - 1;
    table.shapes[slot] = 0;
    table.scIds[slot] = 0;
  }

  /** A new SC entity: its SC id number (only an alarm becomes an object now). */
  private create(scType: ScType, type: SiPassType, record: SiPassRecord, config: PluginConfig): number {
    const n = this.nextId++;
    this.ops.creates++;
    if (scType === 'alarm') {
      // R4: recipients are a copy of the role's list at creation. R5: exactly the configured partitions.
      const a: AlarmEntity = {
        id: this.scId(n),
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
      this.objects.set(n, a);
      this.alarms.put(a);
    }
    return n;
  }

  /** An SC entity object already handed out follows its record (an operator's edit is overwritten: one-way sync). */
  private refresh(n: number, record: SiPassRecord): void {
    const sc = this.objects.get(n);
    if (!sc) return;
    sc.name = record.name;
    sc.fields = record;
    if (sc.type === 'alarm') (sc as AlarmEntity).priority = priorityOf(record);
  }

  private destroy(scType: ScType, n: number): void {
    this.ops.deletes++;
    if (scType === 'alarm') this.alarms.remove(this.scId(n));
    this.objects.delete(n);
  }

  private scId(n: number): string {
    return `${this.idPrefix}-${n}`;
  }

  delete(type: SiPassType, id: string): boolean {
    const table = this.table(type);
    const slot = table.slotOf(id);
    if (slot === undefined) return false;
    const record = table.record(slot);
    const code = table.shapes[slot] as number;
    if (code !== 0) this.destroyAll(table, slot, code);
    this.digest.remove(type, record);
    table.remove(slot);
    if (type === 'credentials') {
      const holder = holderOf(record);
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
      for (let slot = 0; slot < table.end; slot++) {
        const r = table.records[slot];
        if (r !== undefined && (!synced || table.generations[slot] !== this.generation)) {
          this.delete(type, r.id);
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
      const table = this.table(type);
      for (let slot = 0; slot < table.end; slot++) {
        const r = table.records[slot];
        if (r !== undefined) this.reshape(table, slot, type, r, this.wantOf(type, r, config), config);
      }
    }
  }

  /** The role is deleted: every SC entity it created leaves Security Center. */
  clear(): void {
    this.sweeping = true;
    for (const type of SIPASS_TYPES) {
      const table = this.table(type);
      for (let slot = 0; slot < table.end; slot++) {
        const r = table.records[slot];
        if (r !== undefined) this.delete(type, r.id);
      }
    }
    this.sweeping = false;
    this.firstCredential.clear();
    this.holdersToSettle.clear();
  }

  digestString(): string {
    return this.digest.toString();
  }

  count(scType: ScType): number {
    let n = 0;
    for (let code = 1; code < this.shapes.size; code++) if (this.shapes.list(code).includes(scType)) n += this.byShape[code] ?? 0;
    return n;
  }

  countsByScType(): Record<ScType, number> {
    const out = {} as Record<ScType, number>;
    for (const t of SC_TYPES) out[t] = 0;
    for (let code = 1; code < this.shapes.size; code++) for (const t of this.shapes.list(code)) out[t] += this.byShape[code] ?? 0;
    return out;
  }

  sourceCount(type: SiPassType): number {
    return this.table(type).size;
  }

  totalSources(): number {
    let n = 0;
    for (const t of this.tables.values()) n += t.size;
    return n;
  }

  record(type: SiPassType, id: string): SiPassRecord | undefined {
    const table = this.table(type);
    const slot = table.slotOf(id);
    return slot === undefined ? undefined : table.record(slot);
  }

  /** The SC entity number `n` of a slot as an object: made the first time it is asked for, then kept. */
  private objectOf(table: TypeTable, slot: number, type: SiPassType, scType: ScType, n: number): ScEntity {
    let sc = this.objects.get(n);
    if (!sc) {
      const record = table.record(slot);
      sc = { id: this.scId(n), type: scType, name: record.name, sipassType: type, sipassId: record.id, fields: record };
      this.objects.set(n, sc);
    }
    return sc;
  }

  private objectsOf(table: TypeTable, slot: number, type: SiPassType): readonly ScEntity[] {
    const code = table.shapes[slot] as number;
    if (code === 0) return NO_ENTITIES;
    const first = table.scIds[slot] as number;
    return this.shapes.list(code).map((scType, k) => this.objectOf(table, slot, type, scType, first + k));
  }

  /** The SC entities one SiPass entity became. */
  scEntitiesOf(type: SiPassType, id: string): readonly ScEntity[] {
    const table = this.table(type);
    const slot = table.slotOf(id);
    return slot === undefined ? NO_ENTITIES : this.objectsOf(table, slot, type);
  }

  /** The first SC entity one SiPass entity became (an event's source, R11), without a list. */
  firstScEntityOf(type: SiPassType, id: string): ScEntity | undefined {
    const table = this.table(type);
    const slot = table.slotOf(id);
    if (slot === undefined) return undefined;
    const code = table.shapes[slot] as number;
    return code === 0 ? undefined : this.objectOf(table, slot, type, this.shapes.list(code)[0] as ScType, table.scIds[slot] as number);
  }

  /** Every SC entity of one type, in sync order (the entity browser's expanded node). */
  *entities(scType?: ScType): Generator<ScEntity> {
    for (const [type, table] of this.tables) {
      for (let slot = 0; slot < table.end; slot++) {
        const code = table.shapes[slot] as number;
        if (code === 0 || table.records[slot] === undefined) continue;
        const list = this.shapes.list(code);
        if (scType !== undefined && !list.includes(scType)) continue;
        const first = table.scIds[slot] as number;
        for (let k = 0; k < list.length; k++) {
          const t = list[k] as ScType;
          if (scType === undefined || t === scType) yield this.objectOf(table, slot, type, t, first + k);
        }
      }
    }
  }

  /** Finds an SC entity by SC id, SiPass id or name (first match), optionally of one type. */
  find(ref: string, scType?: ScType): ScEntity | undefined {
    const byId = this.idNumberIn(ref);
    for (const [type, table] of this.tables) {
      for (let slot = 0; slot < table.end; slot++) {
        const code = table.shapes[slot] as number;
        if (code === 0 || table.records[slot] === undefined) continue;
        const list = this.shapes.list(code);
        const first = table.scIds[slot] as number;
        const record = table.record(slot);
        for (let k = 0; k < list.length; k++) {
          const t = list[k] as ScType;
          if (scType !== undefined && t !== scType) continue;
          const n = first + k;
          // An object handed out may carry an operator's edited name: match what SC shows.
          const name = this.objects.get(n)?.name ?? record.name;
          if (n === byId || record.id === ref || name === ref) return this.objectOf(table, slot, type, t, n);
        }
      }
    }
    return undefined;
  }

  /** The number in `ref` when it is one of this store's SC ids ("SC-12" -> 12), else -1. */
  private idNumberIn(ref: string): number {
    const prefix = `${this.idPrefix}-`;
    if (!ref.startsWith(prefix)) return -1;
    const digits = ref.slice(prefix.length);
    return /^[1-9]\d*$/.test(digits) ? Number(digits) : -1;
  }

  pluginAlarms(): AlarmEntity[] {
    const out: AlarmEntity[] = [];
    const table = this.table('alarmClasses');
    for (let slot = 0; slot < table.end; slot++) {
      if (table.records[slot] === undefined) continue;
      for (const sc of this.objectsOf(table, slot, 'alarmClasses')) if (sc.type === 'alarm') out.push(sc as AlarmEntity);
    }
    return out;
  }

  /** The custom event of a SiPass event type (R11), if synced. */
  customEventFor(eventTypeId: string): ScEntity | undefined {
    return this.firstScEntityOf('eventTypes', eventTypeId);
  }

  alarmFor(alarmClassId: string): AlarmEntity | undefined {
    return this.firstScEntityOf('alarmClasses', alarmClassId) as AlarmEntity | undefined;
  }
}

/** The SC entities of a SiPass entity that maps to none (shared). */
const NO_ENTITIES: readonly ScEntity[] = Object.freeze([]);

function priorityOf(r: SiPassRecord): number {
  return typeof r.priority === 'number' ? r.priority : 1;
}
