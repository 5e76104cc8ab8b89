import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configFileSchema, type ConfigFile } from '../../shared/config-file';
import { anthropicMockAccounts, startAnthropicMock } from './anthropic';
import { arcgisMockAccounts, startArcgisMock } from './arcgis';
import { awsBudgetsMockAccounts, startAwsBudgetsMock } from './aws-budgets';
import { deepSeekMockAccounts, startDeepSeekMock } from './deepseek';
import { insideViewMockAccounts, startInsideViewMock } from './insideview';
import { openAiMockAccounts, startOpenAiMock } from './openai';
import { openExchangeRatesMockAccounts, startOpenExchangeRatesMock } from './openexchangerates';
import { startPresetMocks } from './presets';
import { sparkMockAccounts, startSparkMock } from './spark';
import { startStripeMock, stripeMockAccounts } from './stripe';
import type { MockServer } from './harness';

/** A running mock per provider, and a config file with a healthy account and one per documented error. */
export async function startAllMocks(): Promise<{
  servers: MockServer[];
  names: string[];
  config: ConfigFile;
  close(): Promise<void>;
}> {
  const [arcgis, oxr, insideview, spark, deepseek, stripe, awsBudgets, presets] = await Promise.all([
    startArcgisMock(),
    startOpenExchangeRatesMock(),
    startInsideViewMock(),
    startSparkMock(),
    startDeepSeekMock(),
    startStripeMock(),
    startAwsBudgetsMock(),
    startPresetMocks(),
  ]);
  const [openai, anthropic] = await Promise.all([startOpenAiMock(), startAnthropicMock()]);
  const config = configFileSchema.parse({
    timeoutSeconds: 10,
    accounts: [
      ...arcgisMockAccounts(arcgis.url),
      ...openExchangeRatesMockAccounts(oxr.url),
      ...insideViewMockAccounts(insideview.url),
      ...sparkMockAccounts(spark.url),
      ...deepSeekMockAccounts(deepseek.url),
      ...stripeMockAccounts(stripe.url),
      ...awsBudgetsMockAccounts(awsBudgets.url),
      ...openAiMockAccounts(openai.url),
      ...anthropicMockAccounts(anthropic.url),
      ...presets.accounts,
    ],
  });
  const servers = [arcgis, oxr, insideview, spark, deepseek, stripe, awsBudgets, openai, anthropic, ...presets.servers];
  return {
    servers,
    names: [
      'ArcGIS Online',
      'Open Exchange Rates',
      'InsideView',
      'Spark',
      'DeepSeek',
      'Stripe',
      'AWS Budgets',
      'OpenAI',
      'Anthropic',
      ...presets.names,
    ],
    config,
    close: async () => {
      await Promise.all(servers.map((server) => server.close()));
    },
  };
}

async function main(): Promise<void> {
  const mocks = await startAllMocks();
  const path = join(tmpdir(), 'headroom-mock-accounts.json');
  const text = `${JSON.stringify(mocks.config, null, 2)}\n`;
  await writeFile(path, text);
  process.stdout.write(text);
  process.stderr.write(
    [
      '',
      'Mock servers:',
      ...mocks.servers.map((server, index) => `  ${(mocks.names[index] ?? '').padEnd(20)} ${server.url}`),
      `The config above (${String(mocks.config.accounts.length)} accounts: a healthy one per provider and one per documented error) is saved in ${path}.`,
      `Try it in another terminal:  npx headroom check --config ${path}`,
      'Press Ctrl+C to stop the mock servers.',
      '',
    ].join('\n'),
  );
  const stop = (): void => {
    void mocks.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1]?.endsWith('main.ts') && process.argv[1].includes('mock-servers')) void main();
