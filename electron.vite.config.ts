import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import renderer from './vite.renderer.config';

const root = import.meta.dirname;

/**
 * `electron-vite build`: the main process (ESM, as package.json says "type": "module"), the preload
 * (one CommonJS file, as a sandboxed preload must be) and the renderer, into electron-vite's
 * default folders out/main, out/preload and out/renderer (`--outDir` moves all three). The renderer
 * is vite.renderer.config.ts itself (chunks, relative base, no modulepreload polyfill), so
 * `npm run build:renderer`, dev:web, the e2e tests and the packaged app load the same bundles.
 */
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: { index: resolve(root, 'main/electron/index.ts') },
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot load packages: whatever it imports is bundled into its one file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(root, 'main/preload/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer,
});
