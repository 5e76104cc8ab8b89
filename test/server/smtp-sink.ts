import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

/** A message as the sink received it, decoded enough to check what a person would read. */
export interface ReceivedMail {
  from: string;
  to: string[];
  /** True when the session ran over TLS (STARTTLS or implicit). */
  secure: boolean;
  user: string | undefined;
  subject: string;
  text: string;
  headers: Map<string, string>;
}

export interface SmtpSink {
  port: number;
  received: ReceivedMail[];
  /** Answers the next `count` messages with this temporary (4xx) or permanent (5xx) reply. */
  refuseNext(count: number, responseCode: number): void;
  /** Messages refused so far. */
  refused(): number;
  close(): Promise<void>;
}

/**
 * A local SMTP server (smtp-server) on 127.0.0.1 that offers STARTTLS with the given certificate,
 * wants the given login, and keeps every message it accepts.
 */
export async function startSmtpSink(options: {
  certPath: string;
  keyPath: string;
  login?: { user: string; pass: string };
  port?: number;
  offerStartTls?: boolean;
}): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  let refuse = { count: 0, code: 451 };
  let refusedCount = 0;
  const server = new SMTPServer({
    key: await readFile(options.keyPath),
    cert: await readFile(options.certPath),
    logger: false,
    disabledCommands: options.offerStartTls === false ? ['STARTTLS'] : [],
    // Without TLS the login is refused anyway; let it through so only the client's TLS policy is tested.
    allowInsecureAuth: options.offerStartTls === false,
    authOptional: options.login === undefined,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, callback) {
      if (options.login && auth.username === options.login.user && auth.password === options.login.pass) {
        callback(null, { user: auth.username });
        return;
      }
      callback(new Error('Invalid username or password'));
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (refuse.count > 0) {
          refuse = { ...refuse, count: refuse.count - 1 };
          refusedCount += 1;
          const error = Object.assign(new Error(refuse.code >= 500 ? 'Message refused' : 'Try again later'), {
            responseCode: refuse.code,
          });
          callback(error);
          return;
        }
        received.push(parseMail(Buffer.concat(chunks).toString('utf8'), session));
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      resolve();
    });
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    received,
    refuseNext(count, responseCode) {
      refuse = { count, code: responseCode };
    },
    refused: () => refusedCount,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

function parseMail(raw: string, session: SMTPServerSession): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  const mailFrom = session.envelope.mailFrom;
  return {
    from: mailFrom === false ? '' : mailFrom.address,
    to: session.envelope.rcptTo.map((address) => address.address),
    secure: session.secure,
    user: typeof session.user === 'string' ? session.user : undefined,
    subject: decodeWords(headers.get('subject') ?? ''),
    text: decodeBody(body, headers.get('content-transfer-encoding') ?? '7bit').replace(/\r\n/g, '\n'),
    headers,
  };
}

/** RFC 2047 encoded words (=?UTF-8?Q?…?= and =?UTF-8?B?…?=). */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_match, _charset: string, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : qpBytes(text.replace(/_/g, ' ')).toString('utf8'),
    );
}

function decodeBody(body: string, encoding: string): string {
  switch (encoding.toLowerCase()) {
    case 'quoted-printable':
      return qpBytes(body.replace(/=\r\n/g, '')).toString('utf8');
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    default:
      return body;
  }
}

function qpBytes(text: string): Buffer {
  const bytes: number[] = [];
  for (let index = 0; index < text.length; index++) {
    const char = text[index] ?? '';
    const hex = text.slice(index + 1, index + 3);
    if (char === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      index += 2;
    } else {
      bytes.push(...Buffer.from(char, 'utf8'));
    }
  }
  return Buffer.from(bytes);
}
