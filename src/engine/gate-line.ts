/**
 * An array with a moving head: O(1) amortised push and shift, and `replaceFront` to put retried items
 * back where they were. The engine keeps its own (rather than the emulator's Deque) because siblings
 * never deep-import each other (STYLE "Shape").
 */
export class GateLine<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  peek(): T | undefined {
    return this.length > 0 ? this.items[this.head] : undefined;
  }

  /** The item `index` places behind the head. */
  at(index: number): T | undefined {
    return index >= 0 && index < this.length ? this.items[this.head + index] : undefined;
  }

  shift(): T | undefined {
    if (this.length === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    this.compact();
    return item;
  }

  /**
   * Drops the first `count` items and puts `kept` (at most `count`, in order) back at the front: the
   * slots they leave are reused, so no element behind them moves.
   */
  replaceFront(count: number, kept: readonly T[]): void {
    if (count > this.length || kept.length > count) throw new RangeError("GateLine.replaceFront: bad counts.");
    for (let i = 0; i < count - kept.length; i++) this.items[this.head + i] = undefined;
    this.head += count - kept.length;
    for (let i = 0; i < kept.length; i++) this.items[this.head + i] = kept[i];
    this.compact();
  }

  /** Copies the live part down once the dead prefix is as long as it: amortised O(1) per item. */
  private compact(): void {
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 32 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
