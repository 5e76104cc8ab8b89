import type { Preset } from './preset';

/**
 * GitHub REST API: `GET /rate_limit` answers `resources.core`, `resources.search` and
 * `resources.graphql`, each `{ limit, remaining, reset, used }` with `reset` in epoch seconds
 * (docs.github.com, "Rate limit"). "Accessing this endpoint does not count against your REST API
 * rate limit." GitHub Enterprise Server serves the same at `https://HOST/api/v3/rate_limit`.
 */
function resource(id: string, label: string) {
  return {
    id,
    label,
    unit: 'requests' as const,
    limit: `resources.${id}.limit`,
    remaining: `resources.${id}.remaining`,
    resetsAt: `resources.${id}.reset`,
  };
}

export const gitHubPreset: Preset = {
  id: 'github',
  name: 'GitHub',
  title: 'GitHub',
  summary: 'The REST (core), search and GraphQL rate limits of a token, and when each resets.',
  docsUrl: 'https://docs.github.com/en/rest/rate-limit/rate-limit',
  keysUrl: 'https://github.com/settings/tokens',
  secrets: [
    {
      key: 'token',
      label: 'Token',
      help: 'A personal access token (no scope is needed to read rate limits), or a GitHub App token.',
    },
  ],
  fields: [
    {
      key: 'url',
      label: 'API address',
      help: 'For GitHub Enterprise Server: https://HOST/api/v3/rate_limit',
      choices: [{ label: 'GitHub.com', value: 'https://api.github.com/rate_limit' }],
    },
  ],
  endpoint: {
    service: 'GitHub',
    url: 'https://api.github.com/rate_limit',
    headers: {
      Authorization: 'Bearer {{secret:token}}',
      Accept: 'application/vnd.github+json',
      'X-GitHub-Api-Version': '2022-11-28',
    },
    meters: [
      resource('core', 'REST requests'),
      resource('search', 'Search requests'),
      resource('graphql', 'GraphQL points'),
    ],
    usageCallCountsAgainstQuota: false,
    // The limits reset hourly (search: every minute) and reading them is free.
    minIntervalMinutes: 1,
  },
};
