import type { SiPassRecord } from '../../protocol/sipassTypes.js';

const INITIAL_CAPACITY = 64;
const FNV_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over the id's UTF-16 code units: the table's own hash (a JS Map's is not reachable). */
function hashId(id: string): number {
  let h = FNV_BASIS;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), FNV_PRIME);
  return h;
}

/**
 * The entities of one SiPass type, stored in columns (issue 14: a compact store): per slot the
 * record, the full sync that last saw it, the SC id number of its first SC entity and which SC
 * types it became (a code, see ScShapes); an open-addressing index finds a slot by SiPass id.
 *
 * Why columns: a million-entity sync kept three objects per entity alive (an entry, an SC entity
 * and its id string) besides the record itself; every one was allocated young, copied by the
 * scavenger and marked by each full GC. Here a slot is four numbers in typed arrays; SC entities
 * are built when asked for (`SyncedEntities`).
 *
 * Why not a Map from id to slot: looking up a new id in a Map of 600,000 cardholders touched
 * about five cache lines (bucket, chain entries, their key strings) and was 13% of the role's
 * sync profile. The index keeps each id's hash next to its slot, so a miss -- every entity of a
 * first sync -- reads one line, and a hit compares ids only when the hashes agree.
 *
 * Slots are handed out in order and not reused, so walking them is insertion order (the entity
 * browser lists entities in sync order); deleted slots are holes, squeezed out once they are
 * more than half of the slots (`add` only, never during a walk).
 */
export class TypeTable {
  /** Slot -> the record as last received (undefined: a deleted slot). */
  records: Array<SiPassRecord | undefined> = [];
  /** Slot -> the full sync that last saw it. */
  generations = new Uint32Array(INITIAL_CAPACITY);
  /** Slot -> the number in the SC id of its first SC entity (0 when it has none); the others follow it. */
  scIds = new Uint32Array(INITIAL_CAPACITY);
  /** Slot -> which SC types it became (ScShapes code; 0 = none). */
  shapes = new Uint8Array(INITIAL_CAPACITY);
  /** Slot -> the hash of its id (to rebuild the index without hashing again). */
  private hashes = new Int32Array(INITIAL_CAPACITY);
  /** Pairs (slot + 1, id hash); 0: empty, -1: a deleted entry. Twice as many pairs as slots at most. */
  private index = new Int32Array(4 * INITIAL_CAPACITY);
  private mask = 2 * INITIAL_CAPACITY - 1;
  private live = 0;
  /** Index entries used, deleted ones included (they lengthen probes until the next rebuild). */
  private used = 0;

  get size(): number {
    return this.live;
  }

  /** Slots handed out so far: walk 0..end-1 and skip the holes (`records[slot] === undefined`). */
  get end(): number {
    return this.records.length;
  }

  slotOf(id: string): number | undefined {
    const h = hashId(id);
    const index = this.index;
    const mask = this.mask;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const v = index[2 * i] as number;
      if (v === 0) return undefined;
      if (v > 0 && index[2 * i + 1] === h && (this.records[v - 1] as SiPassRecord).id === id) return v - 1;
    }
  }

  record(slot: number): SiPassRecord {
    return this.records[slot] as SiPassRecord;
  }

  /** A new slot for `record` (its id must not be in the table), empty of SC entities. */
  add(record: SiPassRecord, generation: number): number {
    if (this.records.length - this.live > this.live && this.records.length >= INITIAL_CAPACITY) this.squeeze();
    // Grow the index before the new slot exists: a rebuild places every slot it finds, and placing
    // the new one again below would leave a second entry that outlives its removal (a lookup of
    // that id then reached a deleted slot).
    if (2 * (this.used + 1) > this.mask + 1) this.rebuildIndex(2 * (this.mask + 1));
    const slot = this.records.length;
    this.records.push(record);
    if (slot >= this.generations.length) this.growColumns();
    const h = hashId(record.id);
    this.generations[slot] = generation;
    this.scIds[slot] = 0;
    this.shapes[slot] = 0;
    this.hashes[slot] = h;
    this.place(slot, h);
    this.used++;
    this.live++;
    return slot;
  }

  remove(slot: number): void {
    const h = this.hashes[slot] as number;
    const index = this.index;
    const mask = this.mask;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const v = index[2 * i] as number;
      if (v === 0) break;
      if (v === slot + 1) {
        index[2 * i] = -1;
        break;
      }
    }
    this.records[slot] = undefined;
    this.live--;
  }

  private place(slot: number, h: number): void {
    const index = this.index;
    const mask = this.mask;
    let i = h & mask;
    while ((index[2 * i] as number) > 0) i = (i + 1) & mask;
    index[2 * i] = slot + 1;
    index[2 * i + 1] = h;
  }

  /** A fresh index of `pairs` entries with every live slot (deleted entries dropped). */
  private rebuildIndex(pairs: number): void {
    let size = 2 * INITIAL_CAPACITY;
    while (size < pairs || 2 * this.live > size) size *= 2;
    this.index = new Int32Array(2 * size);
    this.mask = size - 1;
    this.used = 0;
    for (let slot = 0; slot < this.records.length; slot++) {
      if (this.records[slot] === undefined) continue;
      this.place(slot, this.hashes[slot] as number);
      this.used++;
    }
  }

  private growColumns(): void {
    const n = this.generations.length * 2;
    this.generations = grown(this.generations, new Uint32Array(n));
    this.scIds = grown(this.scIds, new Uint32Array(n));
    this.shapes = grown(this.shapes, new Uint8Array(n));
    this.hashes = grown(this.hashes, new Int32Array(n));
  }

  /** Moves the live slots down over the holes (order kept) and rebuilds the index. */
  private squeeze(): void {
    let to = 0;
    for (let from = 0; from < this.records.length; from++) {
      const r = this.records[from];
      if (r === undefined) continue;
      this.records[to] = r;
      this.generations[to] = this.generations[from] as number;
      this.scIds[to] = this.scIds[from] as number;
      this.shapes[to] = this.shapes[from] as number;
      this.hashes[to] = this.hashes[from] as number;
      to++;
    }
    this.records.length = to;
    this.rebuildIndex(2 * INITIAL_CAPACITY);
  }
}

function grown<T extends Uint32Array | Uint8Array | Int32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
