import { describe, expect, it } from 'vitest';
import { isAuthorized, isLoopbackHost, resolveAccess } from '../../main/server/access-policy';
import { ServeSetupError } from '../../main/server/setup-error';

const TOKEN = 'a1b2c3d4e5f6a7b8c9d0';

describe('access policy', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['localhost', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.20', false],
    ['128.0.0.1', false],
    ['example.com', false],
  ])('%s is loopback: %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });

  it('needs no token on loopback, and refuses any other address without one', () => {
    expect(resolveAccess('127.0.0.1', {})).toEqual({ token: undefined });
    expect(() => resolveAccess('0.0.0.0', {})).toThrow(ServeSetupError);
    expect(() => resolveAccess('0.0.0.0', { HEADROOM_SERVE_TOKEN: '' })).toThrow(/set HEADROOM_SERVE_TOKEN/);
    expect(resolveAccess('0.0.0.0', { HEADROOM_SERVE_TOKEN: TOKEN })).toEqual({ token: TOKEN });
    // A token set on loopback is honoured too.
    expect(resolveAccess('127.0.0.1', { HEADROOM_SERVE_TOKEN: TOKEN })).toEqual({ token: TOKEN });
  });

  it('refuses a token that is short or has spaces', () => {
    expect(() => resolveAccess('0.0.0.0', { HEADROOM_SERVE_TOKEN: 'secret' })).toThrow(/at least 16 characters/);
    expect(() => resolveAccess('0.0.0.0', { HEADROOM_SERVE_TOKEN: 'a1b2c3d4 e5f6a7b8c9d0' })).toThrow(/without spaces/);
  });

  it('accepts exactly the bearer token', () => {
    const policy = { token: TOKEN };
    expect(isAuthorized(policy, `Bearer ${TOKEN}`)).toBe(true);
    expect(isAuthorized(policy, `bearer ${TOKEN}`)).toBe(true);
    for (const header of [
      undefined,
      '',
      TOKEN,
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(1)}`,
      `Basic ${TOKEN}`,
      'Bearer ',
    ]) {
      expect(isAuthorized(policy, header), String(header)).toBe(false);
    }
    expect(isAuthorized({ token: undefined }, undefined)).toBe(true);
  });
});
