import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const root = import.meta.dirname;

/**
 * `electron-vite build`: the main process (ESM, as package.json says "type": "module"), the preload
 * (one CommonJS file, as a sandboxed preload must be) and the renderer, into electron-vite's
 * default folders out/main, out/preload and out/renderer (`--outDir` moves all three).
 */
export default defineConfig({
  main: {
    build: {
      rollupOptions: { input: { index: resolve(root, 'main/index.ts') }, output: { format: 'es', entryFileNames: '[name].js' } },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot load packages: whatever it imports is bundled into its one file.
      externalizeDeps: false,
      rollupOptions: { input: { index: resolve(root, 'main/preload.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [react()],
    build: {
      rollupOptions: { input: resolve(root, 'renderer/index.html') },
    },
  },
});
