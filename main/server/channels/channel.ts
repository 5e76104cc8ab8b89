import type { AlertMessage } from '../alert-message';

/** Where alerts go: a mail relay or a webhook. */
export interface AlertChannel {
  /** Stable across restarts (from the config, never from a secret value): pending alerts find their channel by it. */
  key: string;
  /** Short and stable, for metric labels: "mail", "webhook-2". */
  name: string;
  /** "mail to ops@example.com via smtp.example.com:587 (STARTTLS)": for logs, never a secret. */
  describe: string;
  /** Resolves once the other side has accepted the alert; throws DeliveryError otherwise. */
  send(message: AlertMessage, signal: AbortSignal): Promise<void>;
  close?(): void;
}

/** A failed delivery, said for a person; `permanent` when sending the same alert again cannot succeed. */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';

  constructor(
    message: string,
    readonly permanent: boolean,
    /** The other side asked to wait until then (Retry-After). */
    readonly retryAt?: Date,
  ) {
    super(message);
  }
}
