/**
 * The most recent `capacity` items, appended in O(1): old items are dropped
 * in bulk (a head index, compacted now and then) rather than with
 * Array.shift(), which copies the whole array once it is large.
 */
export class BoundedLog<T> {
  private items: T[] = [];
  private head = 0;

  constructor(
    readonly capacity: number,
    private readonly onDrop?: (item: T) => void,
  ) {}

  push(item: T): void {
    this.items.push(item);
    if (this.items.length - this.head > this.capacity) {
      const dropped = this.items[this.head] as T;
      this.head++;
      this.onDrop?.(dropped);
    }
    if (this.head >= this.capacity) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  get size(): number {
    return this.items.length - this.head;
  }

  /** The retained items, oldest first (a copy-free view when nothing was dropped). */
  list(): readonly T[] {
    return this.head === 0 ? this.items : this.items.slice(this.head);
  }
}
