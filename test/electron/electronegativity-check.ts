import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';

/**
 * Runs @doyensec/electronegativity over a folder and reports its high- and medium-severity
 * findings from the SARIF it writes (the tool itself exits 0 whatever it finds).
 *
 * It runs the tool's own runner in this process rather than `npx electronegativity`, because both
 * the CLI and the runner first fetch translations from the internet; here that step is replaced by
 * the tool's bundled English texts, so the check never leaves this machine. Checks that need the
 * network (the list of Electron releases with security fixes) are excluded.
 *
 * Usage: tsx test/electron/electronegativity-check.ts <input folder> <output.sarif>
 */

/** Checks that fetch data from the internet. */
export const NETWORK_CHECKS = ['AvailableSecurityFixesGlobalCheck'];

/** An issue as the runner returns it (the SARIF it writes carries no severity, only the rule and its text). */
const issueSchema = z
  .object({
    id: z.string(),
    severity: z.object({ name: z.string() }).loose(),
    confidence: z.object({ name: z.string() }).loose(),
    file: z.string(),
    location: z.object({ line: z.number().optional(), column: z.number().optional() }).loose().optional(),
    manualReview: z.boolean().optional(),
  })
  .loose();
const resultSchema = z
  .object({
    issues: z.array(issueSchema),
    errors: z.array(z.object({ file: z.string(), message: z.string() }).loose()),
  })
  .loose();

export interface Finding {
  ruleId: string;
  severity: string;
  confidence: string;
  where: string;
  manualReview: boolean;
}

/** High and medium findings fail the check; low and informational ones are reported. */
export function isBlocking(finding: Finding): boolean {
  return finding.severity === 'HIGH' || finding.severity === 'MEDIUM';
}

/** Runs the scan over `input`, writes the SARIF report, and returns every finding with its severity. */
export async function runElectronegativity(
  input: string,
  sarifPath: string,
): Promise<{ findings: Finding[]; parseErrors: string[] }> {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('@doyensec/electronegativity/package.json'));
  const i18nModulePath = join(packageDir, 'dist', 'locales', 'i18n.js');
  const i18n = require('i18n') as {
    configure(options: Record<string, unknown>): void;
    setLocale(locale: string): void;
  };
  // The tool's translation loader, without its download: the English texts it ships, nothing else.
  const offline = new Module(i18nModulePath);
  offline.filename = i18nModulePath;
  offline.loaded = true;
  offline.exports = {
    __esModule: true,
    default: () => {
      i18n.configure({
        locales: ['en-US'],
        defaultLocale: 'en-US',
        directory: dirname(i18nModulePath),
        updateFiles: false,
        objectNotation: true,
        retryInDefaultLocale: true,
        register: global,
      });
      i18n.setLocale('en-US');
      return Promise.resolve();
    },
  };
  require.cache[i18nModulePath] = offline;
  // The runner's module is the function itself (`module.exports = exports.default`).
  const run = require(join(packageDir, 'dist', 'runner.js')) as (
    options: Record<string, unknown>,
    forCli: boolean,
  ) => Promise<unknown>;
  const electronVersion = (require('electron/package.json') as { version: string }).version;
  const answer = await run(
    {
      input: resolve(input),
      output: resolve(sarifPath),
      isSarif: true,
      customScan: [],
      excludeFromScan: NETWORK_CHECKS,
      isRelative: true,
      isVerbose: false,
      parserPlugins: [],
      electronVersionOverride: electronVersion,
    },
    false,
  );
  const { issues, errors } = resultSchema.parse(answer);
  await sarifWritten(sarifPath);
  return {
    findings: issues.map((issue) => ({
      ruleId: issue.id,
      severity: issue.severity.name.toUpperCase(),
      confidence: issue.confidence.name.toUpperCase(),
      where: `${issue.file}:${issue.location?.line ?? 0}`,
      manualReview: issue.manualReview ?? false,
    })),
    parseErrors: errors.map((error) => `${error.file}: ${error.message}`),
  };
}

/** The tool writes its report without waiting for the write: wait (at most 5 s) until it is whole. */
async function sarifWritten(path: string): Promise<void> {
  for (let attempt = 0; attempt < 250; attempt++) {
    try {
      JSON.parse(readFileSync(path, 'utf8'));
      return;
    } catch {
      await new Promise((done) => setTimeout(done, 20));
    }
  }
  throw new Error(`electronegativity did not write a complete report to ${path} within 5 s.`);
}

async function main(): Promise<void> {
  const [input, output] = process.argv.slice(2);
  if (input === undefined || output === undefined) {
    process.stderr.write('Usage: tsx test/electron/electronegativity-check.ts <input folder> <output.sarif>\n');
    process.exitCode = 2;
    return;
  }
  const { findings, parseErrors } = await runElectronegativity(input, output);
  for (const finding of findings)
    process.stdout.write(
      `${finding.severity.padEnd(13)} ${finding.confidence.padEnd(9)} ${finding.ruleId} ${finding.where}${finding.manualReview ? ' (review)' : ''}\n`,
    );
  for (const error of parseErrors) process.stdout.write(`not parsed: ${error}\n`);
  const blocking = findings.filter(isBlocking);
  process.stdout.write(
    `${findings.length} findings, ${blocking.length} of high or medium severity, ${parseErrors.length} files not parsed; report in ${output}.\n`,
  );
  process.exitCode = blocking.length > 0 || parseErrors.length > 0 ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) await main();
