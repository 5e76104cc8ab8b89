import type { ConfigAccount } from '../../shared/config-file';
import { presetAccounts, sendJson, sendText, startMockServer, type MockServer } from './harness';

/**
 * A local Shodan serving `GET /api-info?key=…` (developer.shodan.io/api, "API Plan Information"):
 * `query_credits`, `scan_credits`, `monitored_ips`, `unlocked_left`, `plan`, `https`, `telnet`,
 * `unlocked` and `usage_limits` (`scan_credits`, `query_credits`, `monitored_ips`; -1 means no
 * limit, as in the documented example of a "stream-100" plan). Shodan's own Python client says an
 * unknown key gets nginx's HTML 401 page (or a JSON `{"error": …}`); the REST API allows about one
 * request per second and answers faster callers with 429.
 */

export const SHODAN_KEYS = {
  /** The developer plan: 100 query and 100 scan credits a month. */
  dev: 'Dv3l0p3rK3yF0rH3adr00mT3st1ng001',
  /** The documented "stream-100" example: every usage limit -1. */
  stream: 'Str3amK3yF0rH3adr00mT3st1ng00002',
  /** Calls faster than one a second: 429. */
  hurried: 'Hurr13dK3yF0rH3adr00mT3st1ng0003',
} as const;
export const SHODAN_UNKNOWN_KEY = 'N0tAK3yAtA11000000000000000000000';

const NGINX_401 =
  '<html>\r\n<head><title>401 Authorization Required</title></head>\r\n<body>\r\n<center><h1>401 Authorization Required</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

function apiInfo(key: string): Record<string, unknown> {
  if (key === SHODAN_KEYS.stream) {
    return {
      scan_credits: 100000,
      usage_limits: { scan_credits: -1, query_credits: -1, monitored_ips: -1 },
      plan: 'stream-100',
      https: false,
      unlocked: true,
      query_credits: 100000,
      monitored_ips: 19,
      unlocked_left: 100000,
      telnet: false,
    };
  }
  return {
    scan_credits: 100,
    usage_limits: { scan_credits: 100, query_credits: 100, monitored_ips: 16 },
    plan: 'dev',
    https: false,
    unlocked: true,
    query_credits: 10,
    monitored_ips: 3,
    unlocked_left: 10,
    telnet: false,
  };
}

export type ShodanMock = MockServer;

export async function startShodanMock(): Promise<ShodanMock> {
  return startMockServer((request, res) => {
    if (request.method !== 'GET' || request.path !== '/api-info') {
      sendJson(res, 404, { error: 'No information available for that path.' });
      return;
    }
    const key = request.query.get('key') ?? '';
    if (!(Object.values(SHODAN_KEYS) as string[]).includes(key)) {
      sendText(res, 401, 'text/html', NGINX_401);
      return;
    }
    if (key === SHODAN_KEYS.hurried) {
      sendJson(res, 429, {
        error:
          'Request rate limit reached (1 request/ second). Please wait a second before trying again and slow down your API calls.',
      });
      return;
    }
    sendJson(res, 200, apiInfo(key));
  });
}

export function shodanMockAccounts(baseUrl: string): ConfigAccount[] {
  const url = `${baseUrl.replace(/\/+$/, '')}/api-info`;
  const make = presetAccounts('shodan', url);
  return [
    make('shodan-dev', 'Shodan mock · developer plan', { apiKey: SHODAN_KEYS.dev }),
    make('shodan-stream', 'Shodan mock · plan without limits', { apiKey: SHODAN_KEYS.stream }),
    make('shodan-wrong-key', 'Shodan mock · wrong key', { apiKey: SHODAN_UNKNOWN_KEY }),
    make('shodan-hurried', 'Shodan mock · over one request a second (429)', { apiKey: SHODAN_KEYS.hurried }),
  ];
}
