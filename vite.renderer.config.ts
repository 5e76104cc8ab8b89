import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin, type Rollup } from 'vite';

const inRepo = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/**
 * Builds the renderer (dashboard and settings, one page) into out/renderer with relative URLs, so
 * the same files load from Electron's app protocol, the dev:web server and the e2e tests' server.
 * `vite build --config vite.renderer.config.ts` uses it as it is, and electron.vite.config.ts reuses
 * it as its `renderer` section, so the packaged app gets exactly these bundles. Paths are absolute
 * because electron-vite resolves relative ones from the project root, vite from `root`.
 * It lives beside package.json, not in renderer/, because it runs in Node while renderer/ is
 * browser-only; the root tsconfig type-checks it.
 */
/** A chunk and every chunk it imports statically, in load order: what loading it costs. */
export function chunkClosure(start: Rollup.OutputChunk, chunks: ReadonlyMap<string, Rollup.OutputChunk>): Set<string> {
  const seen = new Set<string>();
  const visit = (chunk: Rollup.OutputChunk): void => {
    if (seen.has(chunk.fileName)) return;
    seen.add(chunk.fileName);
    for (const name of chunk.imports) {
      const next = chunks.get(name);
      if (next) visit(next);
    }
  };
  visit(start);
  return seen;
}

/**
 * Preloads from the page itself the chunk the entry imports at once, and what that chunk imports:
 * the entry (boot) stays small and starts the catalog and the first requests before the libraries,
 * but the libraries' download should not wait for it to run.
 */
function preloadDynamicEntry(module: string): Plugin {
  return {
    name: 'headroom:preload-dynamic-entry',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        const chunks = new Map<string, Rollup.OutputChunk>();
        for (const item of Object.values(context.bundle ?? {}))
          if (item.type === 'chunk') chunks.set(item.fileName, item);
        const start = [...chunks.values()].find((chunk) => chunk.moduleIds.includes(module));
        if (!start) throw new Error(`preloadDynamicEntry: no chunk holds ${module}`);
        return [...chunkClosure(start, chunks)]
          .filter((file) => !html.includes(`/${file}"`))
          .map((file) => ({
            tag: 'link',
            attrs: { rel: 'modulepreload', crossorigin: true, href: `./${file}` },
            injectTo: 'head' as const,
          }));
      },
    },
  };
}

export default defineConfig({
  root: inRepo('./renderer'),
  base: './',
  plugins: [react(), preloadDynamicEntry(inRepo('./renderer/src/mount.tsx'))],
  build: {
    outDir: inRepo('./out/renderer'),
    emptyOutDir: true,
    target: 'chrome130',
    // Said outright: vite minifies by default, electron-vite does not.
    minify: 'esbuild',
    // Chromium has modulepreload; the polyfill would only add bytes.
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    rollupOptions: {
      input: inRepo('./renderer/index.html'),
      output: {
        experimentalMinChunkSize: 12_000,
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
