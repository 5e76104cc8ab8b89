import type { SecretRef, ServerAlerts } from '../../shared/config-file';
import type { AlertChannel } from './channels/channel';
import { createMailChannel } from './channels/mail-channel';
import { readSmtpSettings } from './channels/smtp-settings';
import { createWebhookChannel } from './channels/webhook-channel';
import { ServeSetupError } from './setup-error';

/** The channels the config file's `server` section asks for, with secrets read from the environment now. */
export async function createAlertChannels(
  alerts: ServerAlerts | undefined,
  env: NodeJS.ProcessEnv,
  configPath: string,
): Promise<AlertChannel[]> {
  const channels: AlertChannel[] = [];
  if (alerts?.mail) {
    const smtp = await readSmtpSettings(env);
    channels.push(createMailChannel({ smtp, to: alerts.mail.to, from: alerts.mail.from ?? smtp.defaultFrom }));
  }
  (alerts?.webhooks ?? []).forEach((webhook, index) => {
    const at = `${configPath}: server.webhooks[${index}]`;
    const url = resolve(webhook.url, `${at}.url`, env);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ServeSetupError(
        `${at}.url: the environment variable holds no URL; set it to the webhook's http(s) address.`,
      );
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      throw new ServeSetupError(`${at}.url: must be an http:// or https:// address.`);
    const headers = Object.fromEntries(
      Object.entries(webhook.headers ?? {}).map(([name, ref]) => [name, resolve(ref, `${at}.headers.${name}`, env)]),
    );
    channels.push(
      createWebhookChannel({ configured: webhook, position: index + 1, url, format: webhook.format, headers }),
    );
  });
  return channels;
}

function resolve(ref: SecretRef, at: string, env: NodeJS.ProcessEnv): string {
  if (typeof ref === 'string') return ref;
  const value = env[ref.env];
  if (value === undefined || value === '')
    throw new ServeSetupError(`${at}: the environment variable ${ref.env} is not set; set it before starting serve.`);
  return value;
}
