import type { ConfigAccount } from '../../shared/config-file';
import { presetAccounts, sendJson, startMockServer, type MockServer } from './harness';

/**
 * A local GitHub REST API serving `GET /rate_limit` (docs.github.com, "Rate limit"): `resources`
 * with `core`, `search`, `graphql`, `integration_manifest`, … each `{limit, used, remaining, reset}`
 * (reset in epoch seconds), plus the deprecated `rate` (= core). "Accessing this endpoint does not
 * count against your REST API rate limit", so the mock never spends from core. Documented errors:
 * 401 `{"message": "Bad credentials", …}`; a primary rate limit is 403 (or 429) with
 * `x-ratelimit-remaining: 0` and `x-ratelimit-reset`; a secondary one is 403 with `retry-after`
 * ("Troubleshooting the REST API").
 */

export const GITHUB_TOKENS = {
  healthy: 'ghp_R4nd0mT0k3nF0rT3st1ngH3adr00m0001',
  /** Core requests all used; the reset is in ten minutes. */
  coreUsedUp: 'ghp_R4nd0mT0k3nF0rT3st1ngH3adr00m0002',
  /** Answered with 403 and `x-ratelimit-remaining: 0` (primary limit). */
  primaryLimited: 'ghp_R4nd0mT0k3nF0rT3st1ngH3adr00m0003',
  /** Answered with 403 and `retry-after: 60` (secondary limit). */
  secondaryLimited: 'ghp_R4nd0mT0k3nF0rT3st1ngH3adr00m0004',
} as const;
export const GITHUB_UNKNOWN_TOKEN = 'ghp_n0tAR3alT0k3n000000000000000000000';

export interface GitHubMock extends MockServer {
  /** Epoch seconds used for `reset` fields; default: the real clock. */
  setNow(now: (() => Date) | null): void;
  reset(): void;
}

function bucket(limit: number, used: number, reset: number) {
  return { limit, used, remaining: limit - used, reset };
}

export async function startGitHubMock(): Promise<GitHubMock> {
  let clock: (() => Date) | null = null;
  const server = await startMockServer((request, res) => {
    const nowSeconds = Math.floor((clock ?? (() => new Date()))().getTime() / 1000);
    const hour = nowSeconds + 3600 - (nowSeconds % 3600);
    if (request.method !== 'GET' || request.path !== '/rate_limit') {
      sendJson(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
      return;
    }
    const token = /^(?:Bearer|token) (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!token || !(Object.values(GITHUB_TOKENS) as string[]).includes(token)) {
      sendJson(res, 401, {
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest',
        status: '401',
      });
      return;
    }
    if (token === GITHUB_TOKENS.primaryLimited) {
      sendJson(
        res,
        403,
        {
          message: 'API rate limit exceeded for user ID 583231.',
          documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
        },
        {
          'x-ratelimit-limit': '5000',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-used': '5000',
          'x-ratelimit-reset': String(hour),
          'x-ratelimit-resource': 'core',
        },
      );
      return;
    }
    if (token === GITHUB_TOKENS.secondaryLimited) {
      sendJson(
        res,
        403,
        {
          message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          documentation_url:
            'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        },
        { 'retry-after': '60' },
      );
      return;
    }
    const core = token === GITHUB_TOKENS.coreUsedUp ? bucket(5000, 5000, nowSeconds + 600) : bucket(5000, 1234, hour);
    const search = bucket(30, 12, nowSeconds + 60 - (nowSeconds % 60));
    const graphql = bucket(5000, 7, hour);
    sendJson(
      res,
      200,
      {
        resources: {
          core,
          search,
          graphql,
          integration_manifest: bucket(5000, 0, hour),
          source_import: bucket(100, 0, nowSeconds + 60),
          code_scanning_upload: bucket(1000, 0, hour),
          actions_runner_registration: bucket(10000, 0, hour),
          scim: bucket(15000, 0, hour),
          dependency_snapshots: bucket(100, 0, nowSeconds + 60),
          code_search: bucket(10, 0, nowSeconds + 60),
        },
        rate: core,
      },
      {
        'x-ratelimit-limit': String(core.limit),
        'x-ratelimit-remaining': String(core.remaining),
        'x-ratelimit-reset': String(core.reset),
        'x-ratelimit-resource': 'core',
      },
    );
  });
  return {
    ...server,
    setNow(now) {
      clock = now;
    },
    reset() {
      clock = null;
    },
  };
}

export function gitHubMockAccounts(baseUrl: string): ConfigAccount[] {
  const url = `${baseUrl.replace(/\/+$/, '')}/rate_limit`;
  const account = presetAccounts('github', url);
  return [
    account('github-healthy', 'GitHub mock · token', { token: GITHUB_TOKENS.healthy }),
    account('github-core-used-up', 'GitHub mock · core requests used up', { token: GITHUB_TOKENS.coreUsedUp }),
    account('github-bad-credentials', 'GitHub mock · bad credentials', { token: GITHUB_UNKNOWN_TOKEN }),
    account('github-primary-limit', 'GitHub mock · primary rate limit (403)', { token: GITHUB_TOKENS.primaryLimited }),
    account('github-secondary-limit', 'GitHub mock · secondary rate limit (403, retry-after)', {
      token: GITHUB_TOKENS.secondaryLimited,
    }),
  ];
}
