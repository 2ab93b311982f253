/** A timer as the virtual clock keeps it; `index` is its slot in the heap, -1 once it left. */
export interface HeapTimer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
  index: number;
}

/**
 * A binary min-heap of timers ordered by due time, then by scheduling order, so timers due at the same
 * instant fire in the order they were set (as Node's own timers do). Each timer knows its slot, so a
 * cancelled one is removed at once in O(log n) instead of lingering until it would have fired.
 */
export class TimerHeap {
  private readonly items: HeapTimer[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): HeapTimer | undefined {
    return this.items[0];
  }

  push(timer: HeapTimer): void {
    timer.index = this.items.length;
    this.items.push(timer);
    this.up(timer.index);
  }

  pop(): HeapTimer | undefined {
    const top = this.items[0];
    if (top) this.remove(top);
    return top;
  }

  /** Takes `timer` out wherever it is; a timer no longer in the heap is ignored. */
  remove(timer: HeapTimer): void {
    const i = timer.index;
    if (i < 0 || this.items[i] !== timer) return;
    const last = this.items.pop()!;
    timer.index = -1;
    if (last === timer) return;
    this.items[i] = last;
    last.index = i;
    this.down(i);
    this.up(last.index);
  }

  private up(i: number): void {
    const items = this.items;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i]!, items[parent]!)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const items = this.items;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < items.length && before(items[l]!, items[m]!)) m = l;
      if (r < items.length && before(items[r]!, items[m]!)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }

  private swap(a: number, b: number): void {
    const items = this.items;
    const x = items[a]!;
    const y = items[b]!;
    items[a] = y;
    items[b] = x;
    y.index = a;
    x.index = b;
  }
}

function before(a: HeapTimer, b: HeapTimer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
