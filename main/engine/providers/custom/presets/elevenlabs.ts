import type { Preset } from './preset';

const ELEVENLABS_URL = 'https://api.elevenlabs.io/v1/user/subscription';

/**
 * ElevenLabs: `GET /v1/user/subscription` with `xi-api-key` answers the subscription with
 * `character_count`, `character_limit` and `next_character_count_reset_unix` (epoch seconds)
 * among tier, status and invoice fields (elevenlabs.io/docs/api-reference/user/subscription/get).
 */
export const elevenLabsPreset: Preset = {
  id: 'elevenlabs',
  name: 'ElevenLabs',
  title: 'ElevenLabs',
  summary: 'Characters (credits) used this period against the subscription limit, and the next reset.',
  docsUrl: 'https://elevenlabs.io/docs/api-reference/user/subscription/get',
  keysUrl: 'https://elevenlabs.io/app/settings/api-keys',
  secrets: [
    { key: 'apiKey', label: 'API key', help: 'From ElevenLabs Settings → API Keys; it needs read access to the user.' },
  ],
  fields: [
    {
      key: 'url',
      label: 'API address',
      help: 'Another address only for a proxy or a test server.',
      choices: [{ label: 'api.elevenlabs.io', value: ELEVENLABS_URL }],
    },
  ],
  endpoint: {
    service: 'ElevenLabs',
    url: ELEVENLABS_URL,
    headers: { 'xi-api-key': '{{secret:apiKey}}', Accept: 'application/json' },
    meters: [
      {
        id: 'characters',
        label: 'Characters',
        unit: 'characters',
        used: 'character_count',
        limit: 'character_limit',
        resetsAt: 'next_character_count_reset_unix',
      },
    ],
    usageCallCountsAgainstQuota: false,
    minIntervalMinutes: 5,
  },
};
