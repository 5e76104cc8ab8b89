import type { ConfigAccount } from '../../shared/config-file';
import { apifyMockAccounts, startApifyMock, type ApifyMock } from './apify';
import { deeplMockAccounts, startDeeplMock, type DeeplMock } from './deepl';
import { elevenLabsMockAccounts, startElevenLabsMock, type ElevenLabsMock } from './elevenlabs';
import { gitHubMockAccounts, startGitHubMock, type GitHubMock } from './github';
import type { MockServer } from './harness';
import { openRouterMockAccounts, startOpenRouterMock, type OpenRouterMock } from './openrouter';
import { scrapingBeeMockAccounts, startScrapingBeeMock, type ScrapingBeeMock } from './scrapingbee';
import { sendGridMockAccounts, startSendGridMock, type SendGridMock } from './sendgrid';
import { serpApiMockAccounts, startSerpApiMock, type SerpApiMock } from './serpapi';
import { shodanMockAccounts, startShodanMock, type ShodanMock } from './shodan';
import { twilioMockAccounts, startTwilioMock, type TwilioMock } from './twilio';

/** One running mock per preset (DeepL twice: its Pro and Free hosts). */
export interface PresetServers {
  deeplPro: DeeplMock;
  deeplFree: DeeplMock;
  openRouter: OpenRouterMock;
  elevenLabs: ElevenLabsMock;
  gitHub: GitHubMock;
  serpApi: SerpApiMock;
  shodan: ShodanMock;
  twilio: TwilioMock;
  apify: ApifyMock;
  scrapingBee: ScrapingBeeMock;
  sendGrid: SendGridMock;
}

export async function startPresetServers(): Promise<PresetServers> {
  const [deeplPro, deeplFree, openRouter, elevenLabs, gitHub, serpApi, shodan, twilio, apify, scrapingBee, sendGrid] =
    await Promise.all([
      startDeeplMock('pro'),
      startDeeplMock('free'),
      startOpenRouterMock(),
      startElevenLabsMock(),
      startGitHubMock(),
      startSerpApiMock(),
      startShodanMock(),
      startTwilioMock(),
      startApifyMock(),
      startScrapingBeeMock(),
      startSendGridMock(),
    ]);
  return { deeplPro, deeplFree, openRouter, elevenLabs, gitHub, serpApi, shodan, twilio, apify, scrapingBee, sendGrid };
}

/** Closes every mock of the set. */
export async function closePresetServers(servers: PresetServers): Promise<void> {
  await Promise.all(Object.values(servers).map((server: MockServer) => server.close()));
}

/** A mock per preset (DeepL twice: its Pro and Free hosts) and their try-it accounts, all `custom`. */
export async function startPresetMocks(): Promise<{
  servers: MockServer[];
  names: string[];
  accounts: ConfigAccount[];
}> {
  const { deeplPro, deeplFree, openRouter, elevenLabs, gitHub, serpApi, shodan, twilio, apify, scrapingBee, sendGrid } =
    await startPresetServers();
  return {
    servers: [
      deeplPro,
      deeplFree,
      openRouter,
      elevenLabs,
      gitHub,
      serpApi,
      shodan,
      twilio,
      apify,
      scrapingBee,
      sendGrid,
    ],
    names: [
      'DeepL Pro',
      'DeepL Free',
      'OpenRouter',
      'ElevenLabs',
      'GitHub',
      'SerpApi',
      'Shodan',
      'Twilio',
      'Apify',
      'ScrapingBee',
      'SendGrid',
    ],
    accounts: [
      ...deeplMockAccounts(deeplPro.url, deeplFree.url),
      ...openRouterMockAccounts(openRouter.url),
      ...elevenLabsMockAccounts(elevenLabs.url),
      ...gitHubMockAccounts(gitHub.url),
      ...serpApiMockAccounts(serpApi.url),
      ...shodanMockAccounts(shodan.url),
      ...twilioMockAccounts(twilio.url),
      ...apifyMockAccounts(apify.url),
      ...scrapingBeeMockAccounts(scrapingBee.url),
      ...sendGridMockAccounts(sendGrid.url),
    ],
  };
}
