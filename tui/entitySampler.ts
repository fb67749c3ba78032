import type { PluginRole } from '../plugin/pluginRole.js';
import type { ScType } from '../plugin/securitycenter/scTypes.js';
import type { EntitiesOf } from './viewModel.js';

type Sample = Array<{ id: string; name: string; sipassId: string }>;

/**
 * The first entities of an expanded entity-browser node. Walking a
 * million-entity store is not free: a node is re-walked only when its count
 * changed, and then at most every `refreshMs` (default 2s).
 */
export class EntitySampler {
  private readonly cache = new Map<string, { at: number; count: number; list: Sample }>();

  constructor(
    private readonly role: PluginRole,
    private readonly now: () => number = Date.now,
    private readonly refreshMs = 2000,
  ) {}

  readonly entitiesOf: EntitiesOf = (roleName: string, type: ScType, limit: number): Sample => {
    const key = `${roleName}/${type}`;
    const count = this.role.entities.count(type);
    const hit = this.cache.get(key);
    if (hit && (hit.count === count || this.now() - hit.at < this.refreshMs)) return hit.list;
    const list: Sample = [];
    for (const e of this.role.entities.entities(type)) {
      if (list.length >= limit) break;
      list.push({ id: e.id, name: e.name, sipassId: e.sipassId });
    }
    this.cache.set(key, { at: this.now(), count, list });
    return list;
  };

  /** Forget a node's sample (it was just expanded or collapsed). */
  forget(key: string): void {
    this.cache.delete(key);
  }
}
