import { arcgisProvider } from './arcgis';
import { customProvider } from './custom/custom-provider';
import { demoProvider } from './demo';
import { insideViewProvider } from './insideview';
import { openExchangeRatesProvider } from './openexchangerates';
import type { Provider } from './provider';
import { sparkProvider } from './spark';

/** Every provider Headroom knows. Adding one is one module and one line here. */
export const PROVIDERS: readonly Provider[] = [arcgisProvider, openExchangeRatesProvider, insideViewProvider, sparkProvider, customProvider, demoProvider];

const byId = new Map(PROVIDERS.map((provider) => [provider.id, provider]));

export function findProvider(id: string): Provider | undefined {
  return byId.get(id);
}

export function providerIds(): string[] {
  return PROVIDERS.map((provider) => provider.id);
}
