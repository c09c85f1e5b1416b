/** Shapes of outgoing messages; the local outbox records them as they would be sent. */
export interface Email {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly attachments?: readonly { fileName: string; contentType: string; content: string }[];
}

export interface Webhook {
  readonly url: string;
  readonly body: unknown;
}

/**
 * Kinds of text message. Mainland SMS providers (Aliyun, Tencent Cloud) send only registered
 * templates: each kind maps to a template id per deployment (CDK context), filled with `params`;
 * `text` is the same message rendered in full, for providers that take free text (Amazon SNS)
 * and for the local outbox.
 */
export const SMS_KINDS = [
  'booking-confirmed',
  'booking-waitlisted',
  'booking-promoted',
  'booking-changed',
  'booking-cancelled',
  'day-cancelled',
  'booking-reminder',
  'booking-verify-code',
  'ledger-confirmation',
  'firm-sign-in-code',
  'firm-notice',
] as const;
export type SmsKind = (typeof SMS_KINDS)[number];

/** A text message to a mainland mobile number (the firm's contact when it gave no e-mail). */
export interface Sms {
  readonly to: string;
  readonly kind: SmsKind;
  /** The template's variables, by name; values short (providers cap each at about 20–35 characters). */
  readonly params: Readonly<Record<string, string>>;
  readonly text: string;
}

export type OutboxEntry =
  | { kind: 'email'; id: string; at: string; message: Email }
  | { kind: 'webhook'; id: string; at: string; message: Webhook }
  | { kind: 'sms'; id: string; at: string; message: Sms };
