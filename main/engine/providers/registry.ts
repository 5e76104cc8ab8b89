import { arcgisProvider } from './arcgis/arcgis-provider';
import { customProvider } from './custom/custom-provider';
import { demoProvider } from './demo/demo-provider';
import { insideViewProvider } from './insideview/insideview-provider';
import { openExchangeRatesProvider } from './openexchangerates/openexchangerates-provider';
import type { Provider } from './provider';
import { sparkProvider } from './spark/spark-provider';

/** Every provider Headroom knows. Adding one is one module and one line here. */
export const PROVIDERS: readonly Provider[] = [
  arcgisProvider,
  openExchangeRatesProvider,
  insideViewProvider,
  sparkProvider,
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
