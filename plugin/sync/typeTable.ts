import type { SiPassRecord } from '../../protocol/sipassTypes.js';

const INITIAL_CAPACITY = 64;

/**
 * The entities of one SiPass type, stored in columns (issue 14: a compact store): a Map from
 * SiPass id to a slot number, and per slot the record, the full sync that last saw it, the SC id
 * number of its first SC entity and which SC types it became (a code, see ScShapes).
 *
 * Why columns: a million-entity sync kept three objects per entity alive (an entry, an SC entity
 * and its id string) besides the record itself; every one was allocated young, copied by the
 * scavenger and marked by each full GC. Here a slot is a Map entry with a small-integer value and
 * three numbers in typed arrays; SC entities are built when asked for (`SyncedEntities`).
 * Iteration goes through the Map: insertion order, as the entity browser lists them.
 */
export class TypeTable {
  /** SiPass id -> slot. */
  readonly slots = new Map<string, number>();
  /** Slot -> the record as last received (undefined: a free slot). */
  readonly records: Array<SiPassRecord | undefined> = [];
  /** Slot -> the full sync that last saw it. */
  generations = new Uint32Array(INITIAL_CAPACITY);
  /** Slot -> the number in the SC id of its first SC entity (0 when it has none); the others follow it. */
  scIds = new Uint32Array(INITIAL_CAPACITY);
  /** Slot -> which SC types it became (ScShapes code; 0 = none). */
  shapes = new Uint8Array(INITIAL_CAPACITY);
  private readonly free: number[] = [];

  get size(): number {
    return this.slots.size;
  }

  slotOf(id: string): number | undefined {
    return this.slots.get(id);
  }

  record(slot: number): SiPassRecord {
    return this.records[slot] as SiPassRecord;
  }

  /** A new slot for `record` (a freed one first), empty of SC entities. */
  add(record: SiPassRecord, generation: number): number {
    let slot = this.free.pop();
    if (slot === undefined) {
      slot = this.records.length;
      this.records.push(record);
      if (slot >= this.generations.length) this.grow();
    } else {
      this.records[slot] = record;
    }
    this.generations[slot] = generation;
    this.scIds[slot] = 0;
    this.shapes[slot] = 0;
    this.slots.set(record.id, slot);
    return slot;
  }

  remove(id: string, slot: number): void {
    this.slots.delete(id);
    this.records[slot] = undefined;
    this.free.push(slot);
  }

  private grow(): void {
    const n = this.generations.length * 2;
    const g = new Uint32Array(n);
    g.set(this.generations);
    this.generations = g;
    const s = new Uint32Array(n);
    s.set(this.scIds);
    this.scIds = s;
    const h = new Uint8Array(n);
    h.set(this.shapes);
    this.shapes = h;
  }
}
