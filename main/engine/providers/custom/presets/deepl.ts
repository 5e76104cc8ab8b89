import type { Preset } from './preset';

/**
 * DeepL API: `GET /v2/usage` answers `{ "character_count": 180118, "character_limit": 1250000 }`
 * for the current billing period (developers.deepl.com, "Usage and limits"). The key goes in
 * `Authorization: DeepL-Auth-Key …`; DeepL API Free keys end in ":fx" and only work on
 * api-free.deepl.com (the Pro host answers 403 "Wrong endpoint"). Reading usage does not use
 * characters.
 */
export const DEEPL_PRO_USAGE_URL = 'https://api.deepl.com/v2/usage';
export const DEEPL_FREE_USAGE_URL = 'https://api-free.deepl.com/v2/usage';

export const deeplPreset: Preset = {
  id: 'deepl',
  name: 'DeepL',
  title: 'DeepL',
  summary: 'Characters translated this billing period, against the plan or Cost Control limit.',
  docsUrl: 'https://developers.deepl.com/docs/resources/usage-limits',
  keysUrl: 'https://www.deepl.com/your-account/keys',
  secrets: [
    {
      key: 'authKey',
      label: 'Authentication key',
      help: 'From your DeepL account, "API Keys". Free keys end in ":fx".',
    },
  ],
  fields: [
    {
      key: 'url',
      label: 'Plan',
      help: 'DeepL API Free keys (ending in ":fx") only work on the Free host.',
      choices: [
        { label: 'DeepL API Pro', value: DEEPL_PRO_USAGE_URL },
        { label: 'DeepL API Free', value: DEEPL_FREE_USAGE_URL },
      ],
    },
  ],
  endpoint: {
    service: 'DeepL',
    url: DEEPL_PRO_USAGE_URL,
    headers: { Authorization: 'DeepL-Auth-Key {{secret:authKey}}', Accept: 'application/json' },
    meters: [
      { id: 'characters', label: 'Characters', unit: 'characters', used: 'character_count', limit: 'character_limit' },
    ],
    usageCallCountsAgainstQuota: false,
    minIntervalMinutes: 5,
  },
};
