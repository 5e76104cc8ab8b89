import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { ServeSetupError } from './setup-error';

export const SERVE_TOKEN_ENV = 'HEADROOM_SERVE_TOKEN';
/** Long enough that guessing it over the network is hopeless (`openssl rand -hex 32` gives 64). */
const MIN_TOKEN_LENGTH = 16;

export interface AccessPolicy {
  /** When set, /metrics and /api/* answer only requests with `Authorization: Bearer <token>`. */
  token: string | undefined;
}

/** 127.0.0.0/8, ::1 (also IPv4-mapped) and "localhost": reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./.test(bare);
  return false;
}

/**
 * Loopback needs no token (one may still be set); any other address needs one from the
 * environment, so metrics and snapshots never leave the machine unauthenticated.
 */
export function resolveAccess(host: string, env: NodeJS.ProcessEnv): AccessPolicy {
  const token = env[SERVE_TOKEN_ENV];
  if (token !== undefined && token !== '') {
    if (token.length < MIN_TOKEN_LENGTH || /\s/.test(token)) {
      throw new ServeSetupError(
        `${SERVE_TOKEN_ENV} must be at least ${MIN_TOKEN_LENGTH} characters without spaces; make one with \`openssl rand -hex 32\`.`,
      );
    }
    return { token };
  }
  if (!isLoopbackHost(host)) {
    throw new ServeSetupError(
      `Listening on ${host} would expose the metrics beyond this machine: set ${SERVE_TOKEN_ENV} (e.g. \`openssl rand -hex 32\`) so only clients sending it as a bearer token are answered, or use --host 127.0.0.1.`,
    );
  }
  return { token: undefined };
}

/** Compares in constant time (of the digests), so response timing tells nothing about the token. */
export function isAuthorized(policy: AccessPolicy, authorization: string | undefined): boolean {
  if (policy.token === undefined) return true;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match?.[1]) return false;
  return timingSafeEqual(digest(match[1]), digest(policy.token));
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
