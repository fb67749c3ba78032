import { TestbenchError } from '../core/testbenchError.js';
import { SIPASS_TYPES, type SiPassRecord, type SiPassType, type Scalar } from '../protocol/sipassTypes.js';
import { generateEntity, generatedIndex, type GenerationContext } from './generateEntity.js';
import type { PopulationSpec } from './populationSpec.js';

interface TypeTable {
  /** Generated entities: indexes 0..generated-1, computed on demand. */
  generated: number;
  /** Explicit entities from the scenario, in file order. */
  explicit: SiPassRecord[];
  explicitIndex: Map<string, number>;
  /** Overlays: what live changes did to the base set. */
  updated: Map<string, SiPassRecord>;
  deleted: Set<string>;
  added: Map<string, SiPassRecord>;
}

/**
 * The SiPass site the fake server serves. Base entities are generated from
 * the seed on demand (never all in memory); live changes are small overlays
 * on top. Iteration order is stable: base order, then additions.
 */
export class Site {
  readonly name: string;
  readonly seed: number;
  private readonly tables = new Map<SiPassType, TypeTable>();
  private readonly ctx: GenerationContext;

  constructor(spec: PopulationSpec = {}) {
    this.seed = spec.seed ?? 1;
    this.name = spec.name ?? `site-${this.seed}`;
    for (const type of SIPASS_TYPES) {
      const v = spec[type];
      const explicit = Array.isArray(v) ? v.map((r) => ({ ...r })) : [];
      const explicitIndex = new Map<string, number>();
      explicit.forEach((r, i) => {
        if (explicitIndex.has(r.id)) {
          throw new TestbenchError('SITE_DUPLICATE_ID', `population.${type}: id "${r.id}" appears twice`);
        }
        explicitIndex.set(r.id, i);
      });
      this.tables.set(type, {
        generated: typeof v === 'number' ? v : 0,
        explicit,
        explicitIndex,
        updated: new Map(),
        deleted: new Set(),
        added: new Map(),
      });
    }
    this.ctx = {
      seed: this.seed,
      cardholders: this.table('cardholders').generated,
      workgroups: this.table('workgroups').generated,
    };
  }

  private table(type: SiPassType): TypeTable {
    const t = this.tables.get(type);
    if (!t) throw new TestbenchError('SITE_UNKNOWN_TYPE', `unknown SiPass type "${type}"`);
    return t;
  }

  private inBase(t: TypeTable, type: SiPassType, id: string): boolean {
    if (t.explicitIndex.has(id)) return true;
    const i = generatedIndex(type, id);
    return i >= 0 && i < t.generated;
  }

  private baseRecord(t: TypeTable, type: SiPassType, id: string): SiPassRecord | undefined {
    const e = t.explicitIndex.get(id);
    if (e !== undefined) return t.explicit[e];
    const i = generatedIndex(type, id);
    return i >= 0 && i < t.generated ? generateEntity(type, i, this.ctx) : undefined;
  }

  count(type: SiPassType): number {
    const t = this.table(type);
    return t.generated + t.explicit.length - t.deleted.size + t.added.size;
  }

  totals(): Record<SiPassType, number> {
    const out = {} as Record<SiPassType, number>;
    for (const type of SIPASS_TYPES) out[type] = this.count(type);
    return out;
  }

  total(): number {
    return SIPASS_TYPES.reduce((n, type) => n + this.count(type), 0);
  }

  has(type: SiPassType, id: string): boolean {
    return this.get(type, id) !== undefined;
  }

  get(type: SiPassType, id: string): SiPassRecord | undefined {
    const t = this.table(type);
    if (t.deleted.has(id)) return undefined;
    return t.updated.get(id) ?? t.added.get(id) ?? this.baseRecord(t, type, id);
  }

  /** Every entity of a type, lazily, in a stable order. */
  *entities(type: SiPassType): Generator<SiPassRecord> {
    const t = this.table(type);
    const patched = t.updated.size > 0 || t.deleted.size > 0;
    for (const r of t.explicit) {
      if (patched && t.deleted.has(r.id)) continue;
      yield (patched && t.updated.get(r.id)) || r;
    }
    for (let i = 0; i < t.generated; i++) {
      const r = generateEntity(type, i, this.ctx);
      if (patched) {
        if (t.deleted.has(r.id)) continue;
        const u = t.updated.get(r.id);
        if (u) {
          yield u;
          continue;
        }
      }
      yield r;
    }
    yield* t.added.values();
  }

  /** Adds a new entity; an id already present is an error. */
  add(type: SiPassType, record: SiPassRecord): SiPassRecord {
    const t = this.table(type);
    if (this.get(type, record.id)) {
      throw new TestbenchError('SITE_DUPLICATE_ID', `${type} "${record.id}" already exists`);
    }
    const r = { ...record };
    if (this.inBase(t, type, r.id)) {
      t.deleted.delete(r.id);
      t.updated.set(r.id, r);
    } else {
      t.added.set(r.id, r);
    }
    return r;
  }

  /** Changes fields of an existing entity (the id stays). */
  update(type: SiPassType, id: string, fields: Record<string, Scalar>): SiPassRecord {
    const t = this.table(type);
    const current = this.get(type, id);
    if (!current) throw new TestbenchError('SITE_NO_SUCH_ENTITY', `${type} "${id}" does not exist`);
    const r: SiPassRecord = { ...current, ...fields, id };
    if (t.added.has(id)) t.added.set(id, r);
    else t.updated.set(id, r);
    return r;
  }

  delete(type: SiPassType, id: string): SiPassRecord {
    const t = this.table(type);
    const current = this.get(type, id);
    if (!current) throw new TestbenchError('SITE_NO_SUCH_ENTITY', `${type} "${id}" does not exist`);
    if (t.added.has(id)) {
      t.added.delete(id);
    } else {
      t.updated.delete(id);
      t.deleted.add(id);
    }
    return current;
  }
}
