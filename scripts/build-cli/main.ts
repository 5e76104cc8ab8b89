import { relative } from 'node:path';
import { buildCli, CLI_OUT_DIR } from './build-cli';

/** `npm run build:cli`: the compiled CLI in out/cli, which package.json's `bin` runs as `headroom`. */
const metafile = await buildCli();
const bytes = Object.values(metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
const files = Object.keys(metafile.outputs).filter((name) => name.endsWith('.js')).length;
console.log(
  `headroom CLI: ${files} files, ${(bytes / 1024).toFixed(0)} KiB in ${relative(process.cwd(), CLI_OUT_DIR)}/`,
);
