import { describe, expect, it } from 'vitest';
import { DueQueue } from '../../../main/engine/poller/due-queue';

function drain(queue: DueQueue<string>, now: number): string[] {
  const out: string[] = [];
  for (let value = queue.takeDue(now); value !== undefined; value = queue.takeDue(now)) out.push(value);
  return out;
}

describe('DueQueue', () => {
  it('hands out what is due, soonest first, and ties in the order they were planned', () => {
    const queue = new DueQueue<string>();
    queue.set('c', 30);
    queue.set('a', 10);
    queue.set('b', 10);
    queue.set('later', 100);
    expect(queue.nextAt()).toBe(10);
    expect(drain(queue, 30)).toEqual(['a', 'b', 'c']);
    expect(queue.nextAt()).toBe(100);
    expect(queue.size).toBe(1);
    expect(drain(queue, 99)).toEqual([]);
  });

  it('re-planning replaces the earlier plan and deleting forgets it', () => {
    const queue = new DueQueue<string>();
    queue.set('a', 10);
    queue.set('b', 20);
    queue.set('a', 50);
    queue.delete('b');
    expect(queue.nextAt()).toBe(50);
    expect(drain(queue, 1_000)).toEqual(['a']);
    expect(queue.nextAt()).toBeUndefined();
  });

  it('agrees with a sorted list over many random plans, re-plans and deletions', () => {
    let seed = 42;
    const draw = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const queue = new DueQueue<number>();
    const model = new Map<number, { at: number; order: number }>();
    let order = 0;
    for (let step = 0; step < 5_000; step++) {
      const value = Math.floor(draw() * 300);
      if (draw() < 0.25) {
        queue.delete(value);
        model.delete(value);
      } else {
        const at = Math.floor(draw() * 1_000);
        queue.set(value, at);
        model.set(value, { at, order: order++ });
      }
    }
    const expected = [...model].sort(([, a], [, b]) => a.at - b.at || a.order - b.order).map(([value]) => value);
    expect(queue.size).toBe(model.size);
    const taken: number[] = [];
    for (let value = queue.takeDue(Infinity); value !== undefined; value = queue.takeDue(Infinity)) taken.push(value);
    expect(taken).toEqual(expected);
  });
});
