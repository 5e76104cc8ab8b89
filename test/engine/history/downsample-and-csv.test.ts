import { describe, expect, it } from 'vitest';
import { csvField, csvRecord } from '../../../main/engine/history/csv';
import { lttbIndexes } from '../../../main/engine/history/downsample';

describe('lttbIndexes', () => {
  it('keeps everything when there is no more than asked for', () => {
    expect(lttbIndexes([0, 1, 2], [5, 6, 7], 10)).toEqual([0, 1, 2]);
    expect(lttbIndexes([0, 1, 2, 3], [5, 6, 7, 8], 2)).toEqual([0, 1, 2, 3]);
  });

  it('keeps the ends and the spikes, in order, in exactly the number asked for', () => {
    const xs = Array.from({ length: 1000 }, (_, index) => index);
    const ys = xs.map((x) => (x === 333 ? 500 : x === 777 ? -500 : 0));
    const kept = lttbIndexes(xs, ys, 20);
    expect(kept).toHaveLength(20);
    expect(kept[0]).toBe(0);
    expect(kept.at(-1)).toBe(999);
    expect(kept).toContain(333);
    expect(kept).toContain(777);
    expect([...kept].sort((a, b) => a - b)).toEqual(kept);
  });
});

describe('CSV fields (RFC 4180)', () => {
  it('quotes only what needs it and doubles quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField(null)).toBe('');
    expect(csvField(-12.5)).toBe('-12.5');
    expect(csvRecord(['x', 1, null])).toBe('x,1,\r\n');
  });
});
