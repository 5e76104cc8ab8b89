import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { SMTPTransportOptions } from 'nodemailer/lib/smtp-transport';
import { z } from 'zod';
import { isLoopbackHost } from '../access-policy';
import { ServeSetupError } from '../setup-error';

/**
 * The SMTP server mail alerts go through, read from the environment so no credential sits in
 * the config file:
 * - HEADROOM_SMTP_URL       smtps://host[:465] (TLS from the first byte) or smtp://host[:587]
 *                           (STARTTLS, required: a server that does not offer it is refused)
 * - HEADROOM_SMTP_USER, HEADROOM_SMTP_PASSWORD   optional login (or user:password@ in the URL)
 * - HEADROOM_SMTP_TLS=none  plain text, only for a relay on this machine (127.0.0.1, ::1)
 * - HEADROOM_SMTP_CA_FILE   PEM file of a private CA; replaces the system's trusted roots
 */
const SMTP_ENV = {
  url: 'HEADROOM_SMTP_URL',
  user: 'HEADROOM_SMTP_USER',
  password: 'HEADROOM_SMTP_PASSWORD',
  tls: 'HEADROOM_SMTP_TLS',
  caFile: 'HEADROOM_SMTP_CA_FILE',
} as const;

const envSchema = z.object({
  [SMTP_ENV.url]: z.string().min(1, 'is empty'),
  [SMTP_ENV.user]: z.string().optional(),
  [SMTP_ENV.password]: z.string().optional(),
  [SMTP_ENV.tls]: z.enum(['required', 'none'], { error: 'must be "required" (the default) or "none"' }).optional(),
  [SMTP_ENV.caFile]: z.string().min(1).optional(),
});

/** Timeouts so a dead server fails an attempt (and it is retried) instead of hanging it. */
const TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 } as const;

export interface SmtpSettings {
  transport: SMTPTransportOptions;
  /** "smtp.example.com:587 (STARTTLS)": for the start-up line and logs, never a credential. */
  describe: string;
  /** A sender to use when the config names none. */
  defaultFrom: string;
}

export async function readSmtpSettings(env: NodeJS.ProcessEnv): Promise<SmtpSettings> {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? SMTP_ENV.url);
    if (name === SMTP_ENV.url && env[SMTP_ENV.url] === undefined) {
      throw new ServeSetupError(
        `The config file asks for mail alerts but ${SMTP_ENV.url} is not set; set it to smtps://host or smtp://host:587 (README, "Run on a server").`,
      );
    }
    throw new ServeSetupError(`${name} ${issue?.message ?? 'is not valid'}.`);
  }
  const vars = parsed.data;
  let url: URL;
  try {
    url = new URL(vars[SMTP_ENV.url]);
  } catch {
    throw new ServeSetupError(`${SMTP_ENV.url} is not a URL; write it as smtps://host or smtp://host:587.`);
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new ServeSetupError(
      `${SMTP_ENV.url} must start with smtps:// (TLS) or smtp:// (STARTTLS), not ${url.protocol}//.`,
    );
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const implicitTls = url.protocol === 'smtps:';
  const plain = vars[SMTP_ENV.tls] === 'none';
  const user = vars[SMTP_ENV.user] ?? (url.username ? decodeURIComponent(url.username) : undefined);
  const pass = vars[SMTP_ENV.password] ?? (url.password ? decodeURIComponent(url.password) : undefined);
  if (plain && implicitTls)
    throw new ServeSetupError(
      `${SMTP_ENV.tls}=none contradicts ${SMTP_ENV.url}=smtps://…; use smtp:// for a plain-text relay.`,
    );
  if (plain && !isLoopbackHost(host)) {
    throw new ServeSetupError(
      `${SMTP_ENV.tls}=none would send mail to ${host} unencrypted; it is allowed only for a relay on this machine (127.0.0.1).`,
    );
  }
  if ((user === undefined) !== (pass === undefined)) {
    throw new ServeSetupError(`Set both ${SMTP_ENV.user} and ${SMTP_ENV.password} (or neither) for the SMTP login.`);
  }
  let ca: string | undefined;
  const caFile = vars[SMTP_ENV.caFile];
  if (caFile !== undefined) {
    try {
      ca = await readFile(caFile, 'utf8');
    } catch {
      throw new ServeSetupError(`${SMTP_ENV.caFile} names ${caFile}, which cannot be read.`);
    }
  }
  const port = url.port ? Number(url.port) : implicitTls ? 465 : plain ? 25 : 587;
  const mode = implicitTls ? 'TLS' : plain ? 'plain text' : 'STARTTLS';
  return {
    transport: {
      host,
      port,
      secure: implicitTls,
      requireTLS: !implicitTls && !plain,
      ignoreTLS: plain,
      ...(user !== undefined && pass !== undefined ? { auth: { user, pass } } : {}),
      tls: { minVersion: 'TLSv1.2', ...(ca !== undefined ? { ca } : {}) },
      ...TIMEOUTS,
    },
    describe: `${host}:${port} (${mode})`,
    defaultFrom: user?.includes('@') ? user : `Headroom <headroom@${hostname()}>`,
  };
}
