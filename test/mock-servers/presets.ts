import type { ConfigAccount } from '../../shared/config-file';
import { deeplMockAccounts, startDeeplMock } from './deepl';
import { elevenLabsMockAccounts, startElevenLabsMock } from './elevenlabs';
import { gitHubMockAccounts, startGitHubMock } from './github';
import type { MockServer } from './harness';
import { openRouterMockAccounts, startOpenRouterMock } from './openrouter';
import { serpApiMockAccounts, startSerpApiMock } from './serpapi';
import { shodanMockAccounts, startShodanMock } from './shodan';
import { twilioMockAccounts, startTwilioMock } from './twilio';

/** A mock per preset (DeepL twice: its Pro and Free hosts) and their try-it accounts, all `custom`. */
export async function startPresetMocks(): Promise<{ servers: MockServer[]; names: string[]; accounts: ConfigAccount[] }> {
  const [deeplPro, deeplFree, openRouter, elevenLabs, gitHub, serpApi, shodan, twilio] = await Promise.all([
    startDeeplMock('pro'),
    startDeeplMock('free'),
    startOpenRouterMock(),
    startElevenLabsMock(),
    startGitHubMock(),
    startSerpApiMock(),
    startShodanMock(),
    startTwilioMock(),
  ]);
  return {
    servers: [deeplPro, deeplFree, openRouter, elevenLabs, gitHub, serpApi, shodan, twilio],
    names: ['DeepL Pro', 'DeepL Free', 'OpenRouter', 'ElevenLabs', 'GitHub', 'SerpApi', 'Shodan', 'Twilio'],
    accounts: [
      ...deeplMockAccounts(deeplPro.url, deeplFree.url),
      ...openRouterMockAccounts(openRouter.url),
      ...elevenLabsMockAccounts(elevenLabs.url),
      ...gitHubMockAccounts(gitHub.url),
      ...serpApiMockAccounts(serpApi.url),
      ...shodanMockAccounts(shodan.url),
      ...twilioMockAccounts(twilio.url),
    ],
  };
}
