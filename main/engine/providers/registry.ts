import { anthropicProvider } from './anthropic/anthropic-provider';
import { arcgisProvider } from './arcgis/arcgis-provider';
import { awsBudgetsProvider } from './aws-budgets/aws-budgets-provider';
import { customProvider } from './custom/custom-provider';
import { deepSeekProvider } from './deepseek/deepseek-provider';
import { demoProvider } from './demo/demo-provider';
import { insideViewProvider } from './insideview/insideview-provider';
import { openAiProvider } from './openai/openai-provider';
import { openExchangeRatesProvider } from './openexchangerates/openexchangerates-provider';
import type { Provider } from './provider';
import { sparkProvider } from './spark/spark-provider';
import { stripeProvider } from './stripe/stripe-provider';

/** Every provider Headroom knows. Adding one is one module and one line here. */
export const PROVIDERS: readonly Provider[] = [
  arcgisProvider,
  openExchangeRatesProvider,
  insideViewProvider,
  sparkProvider,
  deepSeekProvider,
  stripeProvider,
  openAiProvider,
  anthropicProvider,
  awsBudgetsProvider,
  customProvider,
  demoProvider,
];

const byId = new Map(PROVIDERS.map((provider) => [provider.id, provider]));

export function findProvider(id: string): Provider | undefined {
  return byId.get(id);
}

export function providerIds(): string[] {
  return PROVIDERS.map((provider) => provider.id);
}
