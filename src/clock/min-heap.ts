/**
 * A binary min-heap keyed by a number (usually a clock time); equal keys pop in insertion order, so
 * things due at the same instant are handled in the order they were scheduled (the emulator's message
 * timers and the engine's FIFO gate both rely on it).
 */
export class MinHeap<T> {
  private readonly items: { key: number; order: number; value: T }[] = [];
  private pushes = 0;

  get size(): number {
    return this.items.length;
  }

  push(key: number, value: T): void {
    const items = this.items;
    items.push({ key, order: this.pushes++, value });
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i]!, items[parent]!)) break;
      [items[parent], items[i]] = [items[i]!, items[parent]!];
      i = parent;
    }
  }

  peekKey(): number | undefined {
    return this.items[0]?.key;
  }

  /** Removes and returns the first value if its key is at most `now` (it is due). */
  popDue(now: number): T | undefined {
    const first = this.items[0];
    return first !== undefined && first.key <= now ? this.pop() : undefined;
  }

  pop(): T | undefined {
    const items = this.items;
    if (items.length === 0) return undefined;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      this.siftDown(0);
    }
    return top.value;
  }

  /** Keeps only the entries whose value `keep` accepts, in the same pop order; O(size). */
  retain(keep: (value: T) => boolean): void {
    const items = this.items;
    let kept = 0;
    for (const item of items) if (keep(item.value)) items[kept++] = item;
    items.length = kept;
    for (let i = (kept >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  clear(): void {
    this.items.length = 0;
  }

  private siftDown(start: number): void {
    const items = this.items;
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < items.length && before(items[l]!, items[m]!)) m = l;
      if (r < items.length && before(items[r]!, items[m]!)) m = r;
      if (m === i) return;
      [items[m], items[i]] = [items[i]!, items[m]!];
      i = m;
    }
  }
}

function before(a: { key: number; order: number }, b: { key: number; order: number }): boolean {
  return a.key < b.key || (a.key === b.key && a.order < b.order);
}
