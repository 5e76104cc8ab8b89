import { describe, expect, it } from 'vitest';
import { appDataDir, logsDir } from '../../main/services/paths';

describe('appDataDir and logsDir', () => {
  it('match where Electron puts userData and logs on each OS', () => {
    expect(appDataDir({ HOME: '/home/ann' }, 'linux')).toBe('/home/ann/.config/Headroom');
    expect(appDataDir({ HOME: '/home/ann', XDG_CONFIG_HOME: '/cfg' }, 'linux')).toBe('/cfg/Headroom');
    expect(appDataDir({ HOME: '/Users/ann' }, 'darwin')).toBe('/Users/ann/Library/Application Support/Headroom');
    expect(logsDir({ HOME: '/Users/ann' }, 'darwin')).toBe('/Users/ann/Library/Logs/Headroom');
    expect(logsDir({ HOME: '/home/ann' }, 'linux')).toBe('/home/ann/.config/Headroom/logs');
  });

  it('follow HEADROOM_HOME when it is set', () => {
    expect(appDataDir({ HEADROOM_HOME: '/tmp/h', HOME: '/home/ann' }, 'linux')).toBe('/tmp/h');
    expect(logsDir({ HEADROOM_HOME: '/tmp/h' }, 'darwin')).toBe('/tmp/h/logs');
  });
});
