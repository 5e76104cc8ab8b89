import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * Builds the renderer (dashboard and settings, one page) into out/renderer with relative URLs, so
 * the same files load from Electron's app protocol, the dev:web server and the e2e tests' server.
 * It lives beside package.json, not in renderer/, because it runs in Node while renderer/ is
 * browser-only; the root tsconfig type-checks it.
 */
export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: '../out/renderer',
    emptyOutDir: true,
    target: 'chrome130',
    // Chromium has modulepreload; the polyfill would only add bytes.
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    rollupOptions: {
      output: {
        // Named chunks, so `npm run bench -- renderer` says what weighs what: the libraries both
        // windows load, and zod, which only the settings window and the dev:web bridge need.
        manualChunks(id) {
          if (id.includes('/node_modules/zod/')) return 'zod';
          if (/\/node_modules\/(react|react-dom|scheduler|i18next)\//.test(id)) return 'vendor';
          return undefined;
        },
      },
    },
  },
});
