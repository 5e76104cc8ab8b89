import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { AlertMessage } from '../alert-message';
import { DeliveryError, type AlertChannel } from './channel';
import type { SmtpSettings } from './smtp-settings';

export interface MailChannelOptions {
  smtp: SmtpSettings;
  to: readonly string[];
  from: string;
}

/** nodemailer's errors carry the SMTP reply code and a short code of their own. */
interface SmtpFailure {
  code?: unknown;
  responseCode?: unknown;
  message: string;
}

/** The reply to the message itself (recipient or content refused): resending it will be refused again. */
const PERMANENT_CODES = new Set(['EENVELOPE', 'EMESSAGE']);

/** Plain-text mail through the SMTP server of the environment; one connection per alert (alerts are rare). */
export function createMailChannel(options: MailChannelOptions): AlertChannel {
  const transporter = nodemailer.createTransport(options.smtp.transport);
  const to = [...options.to];
  return {
    name: 'mail',
    key: `mail:${createHash('sha256').update(to.join(',')).digest('hex').slice(0, 12)}`,
    describe: `mail to ${to.join(', ')} via ${options.smtp.describe}`,
    async send(message: AlertMessage, signal: AbortSignal): Promise<void> {
      try {
        await transporter.sendMail({
          from: options.from,
          to,
          subject: `[Headroom] ${message.title}`,
          text: `${message.text}\n`,
          headers: { 'X-Headroom-Alert-Id': message.id, 'X-Headroom-Severity': message.severity },
          signal,
        });
      } catch (error) {
        throw classify(error as SmtpFailure, options.smtp.describe);
      }
    },
    close() {
      transporter.close();
    },
  };
}

function classify(error: SmtpFailure, server: string): DeliveryError {
  const code = typeof error.code === 'string' ? error.code : '';
  const reply = typeof error.responseCode === 'number' ? error.responseCode : undefined;
  const permanent = PERMANENT_CODES.has(code) && reply !== undefined && reply >= 500;
  const what =
    code === 'EAUTH'
      ? 'rejected the SMTP login; check HEADROOM_SMTP_USER and HEADROOM_SMTP_PASSWORD'
      : code === 'ETLS' || /certificate|STARTTLS/i.test(error.message)
        ? 'failed the TLS handshake; check HEADROOM_SMTP_URL and HEADROOM_SMTP_CA_FILE'
        : code === 'ECONNECTION' || code === 'ESOCKET' || code === 'ETIMEDOUT' || code === 'EDNS'
          ? 'could not be reached'
          : 'refused the message';
  const detail = error.message.replace(/\s+/g, ' ').slice(0, 300);
  return new DeliveryError(`The SMTP server ${server} ${what} (${detail}).`, permanent);
}
