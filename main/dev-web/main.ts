import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createIpcHandlers } from '../services/ipc/handlers';
import { ForbiddenRequestError } from '../services/ipc/ipc-errors';
import { createAppServices, type AppLog } from '../services/app-services';
import { startDevWebServer } from './dev-web-server';
import { SessionSecretStore } from './session-secret-store';

const USAGE = `Usage: npm run dev:web [-- --port N]

Serves the built renderer (out/renderer) on http://127.0.0.1 and the preload API over a
WebSocket, against the real services with the demo accounts in a temporary data folder.
Secrets typed in the page stay in memory for this run; the system keychain is not touched.
  --port N   listen on this port (default: any free port)
`;

const root = resolve(import.meta.dirname, '../..');
const rendererDir = join(root, 'out', 'renderer');

const log: AppLog = (level, message, error) => {
  if (level === 'info') return;
  console.error(`dev:web ${level}: ${message}`, ...(error === undefined ? [] : [error]));
};

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: { port: { type: 'string' }, help: { type: 'boolean', default: false } },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    process.stderr.write(`--port must be a port number (0–65535), not "${values.port ?? ''}".\n`);
    return 2;
  }
  if (!existsSync(join(rendererDir, 'index.html'))) {
    process.stderr.write(
      `The renderer is not built: ${join(rendererDir, 'index.html')} is missing. Build it with \`npm run build:renderer\` (or \`npm run build\`), then start dev:web again.\n`,
    );
    return 1;
  }

  const dataDir = await mkdtemp(join(tmpdir(), 'headroom-dev-web-'));
  const exportsDir = join(dataDir, 'exports');
  const services = await createAppServices({ dataDir, secrets: new SessionSecretStore(), seedDemoWhenNew: true, log });
  const handlers = createIpcHandlers(services, {
    // One page holds every view here: it switches itself when main opens nothing.
    openView: () => false,
    openExternal: () =>
      Promise.reject(
        new ForbiddenRequestError('dev:web has no desktop shell to open links with; the page opens them itself.'),
      ),
    showSaveDialog: async ({ defaultName }) => {
      await mkdir(exportsDir, { recursive: true });
      return join(exportsDir, defaultName);
    },
    setLoginItem: (enabled) => {
      process.stdout.write(
        `(Launch at login would now be turned ${enabled ? 'on' : 'off'}; dev:web leaves the system as it is.)\n`,
      );
    },
  });
  let server;
  try {
    server = await startDevWebServer({ services, handlers, rendererDir, port, log });
  } catch (error) {
    await services.stop();
    await rm(dataDir, { recursive: true, force: true });
    const inUse = error instanceof Error && 'code' in error && error.code === 'EADDRINUSE';
    process.stderr.write(
      inUse
        ? `Port ${port} is in use; choose another with --port, or leave it out for any free port.\n`
        : `dev:web could not start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  }
  services.start();
  process.stdout.write(
    `Headroom dev:web: the app's windows in your browser, with the demo accounts (data in ${dataDir}; CSV exports go to ${exportsDir}).\nOpen this address (it carries this run's token):\n${server.pageUrl}\nCtrl+C stops it.\n`,
  );

  await new Promise<void>((resolveStop) => {
    process.once('SIGINT', resolveStop);
    process.once('SIGTERM', resolveStop);
  });
  await server.close();
  await services.stop();
  await rm(dataDir, { recursive: true, force: true });
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error('dev:web failed:', error);
    process.exitCode = 1;
  },
);
