import { describe, expect, it } from 'vitest';
import { oncePerMessage } from '../../../main/engine/history/once-per-message';

describe('oncePerMessage', () => {
  it('says each distinct failure once, whatever throws it', () => {
    const said: string[] = [];
    const tell = oncePerMessage();
    const speak = (message: string): void => {
      said.push(message);
    };
    tell(new Error('SQLITE_FULL: database or disk is full'), speak);
    tell(new Error('SQLITE_FULL: database or disk is full'), speak);
    tell('a plain string', speak);
    tell(new Error('SQLITE_IOERR: disk I/O error'), speak);
    tell('a plain string', speak);
    expect(said).toEqual(['SQLITE_FULL: database or disk is full', 'a plain string', 'SQLITE_IOERR: disk I/O error']);
    // Another teller has its own memory.
    oncePerMessage()(new Error('SQLITE_FULL: database or disk is full'), speak);
    expect(said).toHaveLength(4);
  });
});
