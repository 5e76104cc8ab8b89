import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import zones from '../../scripts/lint/import-zones.js';

/** Lints `code` as if it were the file at `path`, with only the zones rule on. */
async function zoneErrors(path: string, code: string): Promise<string[]> {
  const eslint = new ESLint({
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts', '**/*.tsx'],
        languageOptions: { parser: (await import('typescript-eslint')).parser },
        plugins: { headroom: zones },
        rules: { 'headroom/import-zones': 'error' },
      },
    ],
  });
  const [result] = await eslint.lintText(code, { filePath: path });
  return (result?.messages ?? []).map((message) => message.message);
}

describe('the runtime zones (scripts/lint/import-zones.js)', () => {
  it.each([
    [
      'main/engine/poller/x.ts',
      "import { Tray } from 'electron';",
      "Only main/electron/ (and the preload) may import 'electron'",
    ],
    [
      'main/engine/poller/x.ts',
      "import { AccountsService } from '../../services/accounts/accounts-service';",
      'engine may not import services',
    ],
    [
      'main/engine/poller/x.ts',
      "export { TrayController } from '../../electron/tray/tray-controller';",
      'engine may not import electron',
    ],
    ['main/services/x.ts', "import log from 'electron-log/main';", "may import 'electron-log/main'"],
    [
      'main/services/x.ts',
      "const { serve } = await import('../server/serve-runtime');",
      'services may not import server',
    ],
    ['main/server/x.ts', "import type { Cli } from '../cli/cli';", 'server may not import cli'],
    [
      'main/dev-web/x.ts',
      "import { registerIpcHandlers } from '../electron/ipc/register';",
      'dev-web may not import electron',
    ],
    ['main/preload/x.ts', "import { AppServices } from '../services/app-services';", 'preload may not import services'],
    ['main/preload/x.ts', "import { readFile } from 'node:fs';", "may not import the Node built-in 'node:fs'"],
    [
      'renderer/src/x.tsx',
      "import { PRESETS } from '../../main/engine/providers/custom/presets';",
      'renderer may not import engine',
    ],
    ['renderer/src/x.ts', "import { join } from 'path';", "may not import the Node built-in 'path'"],
    ['shared/x.ts', "import type { Poller } from '../main/engine/poller/poller';", 'shared may not import engine'],
    ['shared/x.ts', "type T = import('../main/services/app-services').AppServices;", 'shared may not import services'],
  ])('refuses, in %s: %s', async (path, code, expected) => {
    const errors = await zoneErrors(path, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(expected);
    expect(errors[0]).toContain('docs/architecture.md');
  });

  it.each([
    [
      'main/engine/poller/x.ts',
      "import { Account } from '../../../shared/account';\nimport { ProviderError } from '../errors';\nimport { z } from 'zod';\nimport { join } from 'node:path';",
    ],
    [
      'main/services/x.ts',
      "import { Poller } from '../engine/poller/poller';\nimport { SettingsStore } from './settings/settings-store';",
    ],
    [
      'main/electron/x.ts',
      "import { app } from 'electron';\nimport { createAppServices } from '../services/app-services';\nimport { Poller } from '../engine/poller/poller';",
    ],
    [
      'main/preload/x.ts',
      "import { contextBridge } from 'electron';\nimport type { HeadroomApi } from '../../shared/ipc';",
    ],
    [
      'main/cli/x.ts',
      "import { serve } from '../server/serve-runtime';\nimport { AccountsService } from '../services/accounts/accounts-service';",
    ],
    ['main/dev-web/x.ts', "import { createIpcHandlers } from '../services/ipc/handlers';"],
    ['renderer/src/x.tsx', "import { useState } from 'react';\nimport type { Snapshot } from '../../shared/snapshot';"],
    ['test/x.test.ts', "import { app } from 'electron';\nimport { AppTray } from '../main/electron/tray/app-tray';"],
  ])('allows, in %s, what its zone may import', async (path, code) => {
    expect(await zoneErrors(path, code)).toEqual([]);
  });

  it('is on for every zone in the project lint config', async () => {
    const eslint = new ESLint();
    for (const path of [
      'main/engine/errors.ts',
      'main/services/app-services.ts',
      'main/electron/index.ts',
      'main/preload/preload.ts',
      'main/cli/main.ts',
      'main/server/metrics.ts',
      'main/dev-web/main.ts',
      'shared/ipc.ts',
      'renderer/src/App.tsx',
    ]) {
      const config = (await eslint.calculateConfigForFile(path)) as { rules?: Record<string, unknown> };
      expect(config.rules?.['headroom/import-zones'], path).toEqual([2]);
    }
  });

  it('lets only the store call main from the page: views get a lint error for invoke', async () => {
    const eslint = new ESLint();
    const restricted = async (path: string): Promise<unknown> =>
      ((await eslint.calculateConfigForFile(path)) as { rules?: Record<string, unknown> }).rules?.[
        'no-restricted-syntax'
      ];
    for (const view of ['renderer/src/views/settings/AccountsSection.tsx', 'renderer/src/components/navigation.ts']) {
      expect(JSON.stringify(await restricted(view)), view).toContain("callee.property.name='invoke'");
    }
    expect(await restricted('renderer/src/state/headroom-store.ts')).toBeUndefined();
  });
});
