import { createHash } from 'node:crypto';
import { USER_AGENT } from '../../engine/version';
import { redact } from '../../engine/http/redact';
import { parseRetryAfter } from '../../engine/http/retry-after';
import type { AlertMessage } from '../alert-message';
import { DeliveryError, type AlertChannel } from './channel';

export interface WebhookChannelOptions {
  /** As the config file writes it (an `{ "env": … }` reference stays one): the channel's identity. */
  configured: unknown;
  /** 1-based, for people: "webhook 2". */
  position: number;
  url: string;
  format: 'json' | 'slack';
  headers: Readonly<Record<string, string>>;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** The receiver refuses this body as such: sending it again cannot help. */
const PERMANENT_STATUSES = new Set([400, 413, 415, 422]);

/** The JSON body for `format: "json"`: everything a receiver needs to route, dedupe and show the alert. */
function webhookJsonBody(message: AlertMessage): Record<string, unknown> {
  return {
    source: 'headroom',
    id: message.id,
    decidedAt: message.decidedAt,
    severity: message.severity,
    accountId: message.accountId,
    provider: message.provider,
    title: message.title,
    text: message.text,
    notification: message.notification,
  };
}

/** Slack's incoming-webhook body (also taken by Mattermost, Rocket.Chat and Teams' Slack-compatible hooks). */
function slackBody(message: AlertMessage): { text: string } {
  return { text: `*${slackEscape(message.title)}*\n${slackEscape(message.text)}` };
}

function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** POSTs each alert as JSON; the URL may hold a secret, so only its host ever appears in messages. */
export function createWebhookChannel(options: WebhookChannelOptions): AlertChannel {
  const url = new URL(options.url);
  const host = url.host;
  // Whatever the receiver echoes back must not reveal the secret parts of its address.
  const secrets = [
    options.url,
    `${url.pathname}${url.search}`,
    url.pathname,
    url.search,
    ...Object.values(options.headers),
  ].filter((part) => part.length > 1);
  const who = `webhook ${options.position} (${host})`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    name: `webhook-${options.position}`,
    key: `webhook:${createHash('sha256').update(JSON.stringify(options.configured)).digest('hex').slice(0, 12)}`,
    describe: `${who}${options.format === 'slack' ? ', Slack format' : ''}`,
    async send(message: AlertMessage, signal: AbortSignal): Promise<void> {
      const body = JSON.stringify(options.format === 'slack' ? slackBody(message) : webhookJsonBody(message));
      let response: Response;
      // A timer of our own, not AbortSignal.timeout: inside AbortSignal.any, Node may collect the
      // timeout signal before it fires (nodejs/node#57736), and the request then waits forever.
      const deadline = new AbortController();
      const timer = setTimeout(() => {
        deadline.abort();
      }, timeoutMs);
      try {
        response = await fetch(options.url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'User-Agent': USER_AGENT, ...options.headers },
          body,
          redirect: 'manual',
          signal: AbortSignal.any([signal, deadline.signal]),
        });
      } catch {
        clearTimeout(timer);
        throw new DeliveryError(
          `${who} ${deadline.signal.aborted ? `did not answer within ${timeoutMs / 1000} s` : 'could not be reached'}.`,
          false,
        );
      }
      // The body is not needed, but reading it frees the connection for the next request.
      // The deadline covers the body too: an answer that stalls after its headers is aborted with it.
      const text = await response.text().catch(() => '');
      clearTimeout(timer);
      const answer = redact(text.replace(/\s+/g, ' ').slice(0, 200), secrets);
      if (response.ok) return;
      const said = answer ? `: "${answer}"` : '';
      if (response.status >= 300 && response.status < 400) {
        throw new DeliveryError(
          `${who} answered with a redirect (HTTP ${response.status}); put the final address in the config file.`,
          false,
        );
      }
      if (PERMANENT_STATUSES.has(response.status)) {
        throw new DeliveryError(
          `${who} refused the alert (HTTP ${response.status}${said}); check its "format" in the config file.`,
          true,
        );
      }
      const retryAt =
        response.status === 429 || response.status === 503
          ? parseRetryAfter(response.headers.get('retry-after') ?? undefined, new Date())
          : undefined;
      throw new DeliveryError(`${who} failed with HTTP ${response.status}${said}.`, false, retryAt);
    },
  };
}
