/**
 * The accounts waiting for their next check, soonest first: a binary min-heap on (time, order of
 * arming), so one timer can serve every account (the poller sleeps until the head is due) and
 * accounts due at the same moment come in the order they were planned. Cancelling is lazy: a
 * cancelled item stays in the heap until it reaches the head, or until cancelled items outnumber
 * live ones and the heap is rebuilt, so arming and cancelling stay O(log n) whatever n is.
 */
export class DueQueue<T> {
  private heap: Item<T>[] = [];
  private readonly live = new Map<T, Item<T>>();
  private order = 0;

  get size(): number {
    return this.live.size;
  }

  /** Plans `value` at `at`, replacing its earlier plan if any. */
  set(value: T, at: number): void {
    this.delete(value);
    const item: Item<T> = { value, at, order: this.order++ };
    this.live.set(value, item);
    this.heap.push(item);
    this.up(this.heap.length - 1);
  }

  delete(value: T): void {
    if (!this.live.delete(value)) return;
    if (this.heap.length > 64 && this.heap.length > 2 * this.live.size) this.rebuild();
  }

  clear(): void {
    this.heap = [];
    this.live.clear();
  }

  /** When the soonest planned value is due; undefined when nothing is planned. */
  nextAt(): number | undefined {
    return this.head()?.at;
  }

  /** Removes and returns the soonest value if it is due at `now`. */
  takeDue(now: number): T | undefined {
    const head = this.head();
    if (head === undefined || head.at > now) return undefined;
    this.pop();
    this.live.delete(head.value);
    return head.value;
  }

  private head(): Item<T> | undefined {
    for (;;) {
      const head = this.heap[0];
      if (head === undefined || this.live.get(head.value) === head) return head;
      this.pop();
    }
  }

  private pop(): void {
    const last = this.heap.pop();
    if (last === undefined || this.heap.length === 0) return;
    this.heap[0] = last;
    this.down(0);
  }

  private rebuild(): void {
    this.heap = [...this.live.values()];
    for (let index = (this.heap.length >> 1) - 1; index >= 0; index--) this.down(index);
  }

  private up(index: number): void {
    const { heap } = this;
    const item = heap[index];
    if (item === undefined) return;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex];
      if (parent === undefined || !before(item, parent)) break;
      heap[index] = parent;
      index = parentIndex;
    }
    heap[index] = item;
  }

  private down(index: number): void {
    const { heap } = this;
    const item = heap[index];
    if (item === undefined) return;
    for (;;) {
      let childIndex = 2 * index + 1;
      let child = heap[childIndex];
      if (child === undefined) break;
      const right = heap[childIndex + 1];
      if (right !== undefined && before(right, child)) {
        childIndex++;
        child = right;
      }
      if (!before(child, item)) break;
      heap[index] = child;
      index = childIndex;
    }
    heap[index] = item;
  }
}

interface Item<T> {
  value: T;
  at: number;
  order: number;
}

function before<T>(a: Item<T>, b: Item<T>): boolean {
  return a.at < b.at || (a.at === b.at && a.order < b.order);
}
