import packageJson from '../../package.json' with { type: 'json' };

export const APP_VERSION: string = packageJson.version;
export const USER_AGENT = `Headroom/${APP_VERSION}`;
