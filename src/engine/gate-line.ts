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

/** A binary min-heap on `at`, ties broken by insertion order so equal times release first-in first. */
export class DueHeap<T> {
  private readonly nodes: { at: number; seq: number; value: T }[] = [];
  private seq = 0;

  get length(): number {
    return this.nodes.length;
  }

  peekAt(): number | undefined {
    return this.nodes[0]?.at;
  }

  push(at: number, value: T): void {
    const nodes = this.nodes;
    nodes.push({ at, seq: this.seq++, value });
    let i = nodes.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      [nodes[i], nodes[parent]] = [nodes[parent]!, nodes[i]!];
      i = parent;
    }
  }

  /** Removes and returns the earliest value if it is due at `now`. */
  popDue(now: number): T | undefined {
    const nodes = this.nodes;
    if (nodes.length === 0 || nodes[0]!.at > now) return undefined;
    const top = nodes[0]!;
    const last = nodes.pop()!;
    if (nodes.length > 0) {
      nodes[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < nodes.length && this.less(l, m)) m = l;
        if (r < nodes.length && this.less(r, m)) m = r;
        if (m === i) break;
        [nodes[i], nodes[m]] = [nodes[m]!, nodes[i]!];
        i = m;
      }
    }
    return top.value;
  }

  private less(a: number, b: number): boolean {
    const x = this.nodes[a]!;
    const y = this.nodes[b]!;
    return x.at < y.at || (x.at === y.at && x.seq < y.seq);
  }
}
