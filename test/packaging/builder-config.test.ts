import { existsSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { matchesGlob } from 'node:path';
import type { Configuration } from 'electron-builder';
import { beforeAll, describe, expect, it } from 'vitest';
import { NATIVE_PACKAGES } from '../../main/electron/launch';
import { LINUX_ICON_SIZES } from '../../scripts/icons/icon-set';
import {
  builderSchemaValidator,
  readBuilderYaml,
  readPackageJson,
  stringsOf,
  type PackageJson,
} from './builder-config';

/**
 * electron-builder.yml checked without building installers (that needs Electron's binary): valid for
 * the electron-builder version pinned, every file it names present, and the settings the issue asks
 * for (menu-bar app, hardened runtime, per-user install, libsecret, fuses, the update feed) there.
 */
let config: Configuration;
let manifest: PackageJson;

beforeAll(async () => {
  const validate = await builderSchemaValidator();
  const parsed = await readBuilderYaml();
  if (!validate(parsed))
    throw new Error(
      `electron-builder.yml does not match electron-builder's schema: ${JSON.stringify(validate.errors, null, 2)}`,
    );
  config = parsed;
  manifest = await readPackageJson();
});

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's own JSON schema, which rejects what electron-builder would", async () => {
    const validate = await builderSchemaValidator();
    expect(validate(await readBuilderYaml())).toBe(true);
    // The same validator is not a pushover: a wrong type or an unknown option fails.
    expect(validate({ ...config, nsis: { ...config.nsis, oneClick: 'yes' } })).toBe(false);
    expect(validate.errors?.map((error) => error.instancePath)).toContain('/nsis/oneClick');
    expect(validate({ ...config, autoUpdate: true })).toBe(false);
    expect(validate({ ...config, electronFuses: { runAsNode: false, inspect: false } })).toBe(false);
  });

  it('names only files and folders that exist', () => {
    expect(config.directories?.buildResources).toBe('build');
    const named = stringsOf(config).filter(({ value }) => value.startsWith('build/'));
    expect(named.map(({ path }) => path).sort()).toEqual([
      'linux.icon',
      'mac.entitlements',
      'mac.entitlementsInherit',
      'mac.icon',
      'win.icon',
    ]);
    for (const { path, value } of named) expect(existsSync(value), `${path}: ${value}`).toBe(true);
    // Linux takes a folder of NxN.png icons.
    expect(statSync(config.linux?.icon ?? '').isDirectory()).toBe(true);
    for (const size of LINUX_ICON_SIZES)
      expect(existsSync(`${config.linux?.icon ?? ''}/${size}x${size}.png`)).toBe(true);
  });

  it('packs what the build writes and package.json, and unpacks the native modules from the asar', () => {
    const files = (config.files ?? []) as string[];
    expect(files).toContain('package.json');
    // package.json "main" is packed: Electron starts there.
    expect(files.some((pattern) => matchesGlob(manifest.main.replace(/^\.\//, ''), pattern))).toBe(true);
    // Nothing but the build output (no sources, tests or the test report in out/).
    for (const pattern of files.filter((entry) => entry !== 'package.json'))
      expect(pattern).toMatch(/^out\/(main|preload|renderer)\/\*\*$/);
    expect(config.asar).toBe(true);
    const unpack = (config.asarUnpack ?? []) as string[];
    for (const name of NATIVE_PACKAGES) {
      expect(manifest.dependencies[name], `${name} is a dependency`).toBeDefined();
      expect(
        unpack.some((pattern) =>
          matchesGlob(`node_modules/${name}/build/Release/${name.replace('-', '_')}.node`, pattern),
        ),
        `${name} is unpacked`,
      ).toBe(true);
    }
    expect(config.npmRebuild).toBe(true);
  });

  it('uses the app id the app gives Windows for its notifications', async () => {
    // electron-builder gives the Start-menu shortcut this AppUserModelID; notifications need the same.
    expect(await readFile('main/electron/index.ts', 'utf8')).toContain(
      `app.setAppUserModelId('${config.appId ?? ''}')`,
    );
    expect(config.productName).toBe('Headroom');
    expect(manifest.productName).toBe('Headroom');
  });

  it('flips the fuses a packaged Headroom does not need', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeCliInspectArguments: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('builds a signed-ready menu-bar app for macOS: dmg and zip for both arches, hardened runtime, entitlements', async () => {
    const mac = config.mac ?? {};
    expect(mac.extendInfo).toEqual({ LSUIElement: true });
    expect(mac.hardenedRuntime).toBe(true);
    expect(mac.target).toEqual([
      { target: 'dmg', arch: ['arm64', 'x64'] },
      { target: 'zip', arch: ['arm64', 'x64'] },
    ]);
    // Two arches need two names (electron-updater picks the zip of its own arch from the feed).
    expect(mac.artifactName).toContain('${arch}');
    const entitlements = await readFile(mac.entitlements ?? '', 'utf8');
    expect([...entitlements.matchAll(/<key>([^<]+)<\/key>/g)].map((match) => match[1])).toEqual([
      'com.apple.security.cs.allow-jit',
    ]);
  });

  it('installs per user on Windows, with a Start-menu entry', () => {
    expect(config.win?.target).toEqual([{ target: 'nsis', arch: ['x64', 'arm64'] }]);
    expect(config.nsis).toMatchObject({
      oneClick: true,
      perMachine: false,
      allowElevation: false,
      createStartMenuShortcut: true,
      shortcutName: 'Headroom',
    });
  });

  it('builds an AppImage and a deb that depends on libsecret for the keychain', () => {
    expect(config.linux?.target).toEqual([
      { target: 'AppImage', arch: ['x64', 'arm64'] },
      { target: 'deb', arch: ['x64', 'arm64'] },
    ]);
    expect(config.deb?.depends).toContain('libsecret-1-0');
    // Setting depends replaces electron-builder's list: Electron's own needs stay on it.
    expect(config.deb?.depends).toEqual(
      expect.arrayContaining([
        'libgtk-3-0',
        'libnotify4',
        'libnss3',
        'libxss1',
        'libxtst6',
        'xdg-utils',
        'libatspi2.0-0',
        'libuuid1',
      ]),
    );
  });

  it('publishes to GitHub releases, the feed electron-updater reads', () => {
    expect(config.publish).toEqual([{ provider: 'github', releaseType: 'release' }]);
  });
});

describe('package.json for packaging', () => {
  it('pins every dependency to an exact version, electron and electron-builder as development tools', () => {
    for (const [name, version] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies }))
      expect(version, name).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.devDependencies.electron).toBeDefined();
    expect(manifest.devDependencies['electron-builder']).toBeDefined();
    expect(manifest.dependencies['electron-updater']).toBeDefined();
  });

  it('has the build and installer scripts the README documents', () => {
    expect(manifest.scripts.build).toBe('electron-vite build');
    expect(manifest.scripts.icons).toBe('tsx scripts/icons/main.ts');
    for (const [script, flag] of [
      ['dist', ''],
      ['dist:mac', ' --mac'],
      ['dist:win', ' --win'],
      ['dist:linux', ' --linux'],
    ] as const) {
      expect(manifest.scripts[script]).toBe(`npm run build && electron-builder${flag} --publish never`);
    }
  });
});

describe('CHANGELOG.md', () => {
  it('keeps a changelog whose latest release is the version in package.json', async () => {
    const changelog = await readFile('CHANGELOG.md', 'utf8');
    expect(changelog).toMatch(/^# Changelog\n/);
    expect(changelog).toContain('## [Unreleased]');
    const releases = [...changelog.matchAll(/^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$/gm)].map(
      (match) => match[1],
    );
    expect(releases[0]).toBe(manifest.version);
    // Keep a Changelog's kinds of change, and nothing else, under each release.
    const kinds = [...changelog.matchAll(/^### (.+)$/gm)].map((match) => match[1]);
    expect(kinds.length).toBeGreaterThan(0);
    for (const kind of kinds)
      expect(['Added', 'Changed', 'Deprecated', 'Removed', 'Fixed', 'Security']).toContain(kind);
  });
});

describe('build/', () => {
  it('holds only what the README says: icons, entitlements and its own README', async () => {
    const entries = (await readdir('build')).sort();
    expect(entries).toEqual(['README.md', 'entitlements.mac.plist', 'icon.icns', 'icon.ico', 'icons', 'tray']);
  });
});
