import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { bundledTableFrom, RATES_PACKAGE } from './bundled-table';

/**
 * `npm run rates:update [-- VERSION]`: refreshes main/services/exchange-rates/bundled-rates.json from
 * the npm registry (the only network this needs). Run it before a release so the table is recent.
 */
const version = process.argv[2] ?? 'latest';
const out = join(import.meta.dirname, '../../main/services/exchange-rates/bundled-rates.json');
const work = mkdtempSync(join(tmpdir(), 'headroom-rates-'));
try {
  const tarball = execFileSync('npm', ['pack', `${RATES_PACKAGE}@${version}`, '--silent'], { cwd: work })
    .toString()
    .trim();
  execFileSync('tar', ['-xzf', tarball, 'package/package.json', 'package/v1/currencies/eur.json'], { cwd: work });
  const packageJson = JSON.parse(readFileSync(join(work, 'package/package.json'), 'utf8')) as { version: string };
  const table = bundledTableFrom(
    JSON.parse(readFileSync(join(work, 'package/v1/currencies/eur.json'), 'utf8')),
    packageJson.version,
  );
  writeFileSync(out, `${JSON.stringify(table, null, 2)}\n`);
  console.log(
    `${relative(process.cwd(), out)}: ${Object.keys(table.rates).length + 1} currencies, rates of ${table.date}`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
