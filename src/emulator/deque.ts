/**
 * A growable ring buffer: O(1) push/shift at both ends, so a queue with a million messages never pays
 * for `Array.prototype.shift`.
 */
export class Deque<T> {
  private items: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(capacity = 16) {
    this.items = new Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  push(item: T): void {
    if (this.count === this.items.length) this.grow();
    this.items[(this.head + this.count) % this.items.length] = item;
    this.count++;
  }

  unshift(item: T): void {
    if (this.count === this.items.length) this.grow();
    this.head = (this.head - 1 + this.items.length) % this.items.length;
    this.items[this.head] = item;
    this.count++;
  }

  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.items.length;
    this.count--;
    return item;
  }

  peek(): T | undefined {
    return this.count === 0 ? undefined : this.items[this.head];
  }

  at(index: number): T | undefined {
    if (index < 0 || index >= this.count) return undefined;
    return this.items[(this.head + index) % this.items.length];
  }

  /** Removes the item at `index`, shifting the items after it forward; O(length - index). */
  removeAt(index: number): T | undefined {
    if (index < 0 || index >= this.count) return undefined;
    if (index === 0) return this.shift();
    const cap = this.items.length;
    const item = this.items[(this.head + index) % cap];
    for (let i = index; i < this.count - 1; i++) {
      this.items[(this.head + i) % cap] = this.items[(this.head + i + 1) % cap];
    }
    this.items[(this.head + this.count - 1) % cap] = undefined;
    this.count--;
    return item;
  }

  /** Inserts keeping ascending order by `key`, searching from the front (re-inserts land near it). */
  insertSorted(item: T, key: (item: T) => number | bigint): void {
    const k = key(item);
    let index = 0;
    while (index < this.count && key(this.at(index)!) < k) index++;
    if (index === 0) return this.unshift(item);
    if (index === this.count) return this.push(item);
    this.push(item);
    const cap = this.items.length;
    for (let i = this.count - 1; i > index; i--) {
      this.items[(this.head + i) % cap] = this.items[(this.head + i - 1) % cap];
    }
    this.items[(this.head + index) % cap] = item;
  }

  /** Keeps only the items `keep` accepts, in order; O(length). */
  retain(keep: (item: T) => boolean): void {
    const cap = this.items.length;
    let kept = 0;
    for (let i = 0; i < this.count; i++) {
      const item = this.items[(this.head + i) % cap]!;
      if (keep(item)) this.items[(this.head + kept++) % cap] = item;
    }
    for (let i = kept; i < this.count; i++) this.items[(this.head + i) % cap] = undefined;
    this.count = kept;
  }

  clear(): void {
    this.items = new Array(16);
    this.head = 0;
    this.count = 0;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.count; i++) yield this.items[(this.head + i) % this.items.length]!;
  }

  private grow(): void {
    const next = new Array<T | undefined>(this.items.length * 2);
    for (let i = 0; i < this.count; i++) next[i] = this.items[(this.head + i) % this.items.length];
    this.items = next;
    this.head = 0;
  }
}
