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
  'booking-find-code',
  'ledger-confirmation',
  'firm-sign-in-code',
  'firm-notice',
  'firm-paired',
  'ledger-cancelled',
  'ledger-overdue',
  'day-notice',
  'checkup-report',
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

/**
 * The template variables of each kind, in the order its registered template lists them. Aliyun
 * takes them by name (TemplateParam JSON); Tencent Cloud by position (TemplateParamSet), in this
 * order. Register each deployment's templates with exactly these variables.
 */
export const SMS_TEMPLATE_PARAMS: Readonly<Record<SmsKind, readonly string[]>> = {
  'booking-confirmed': ['date', 'time', 'place', 'code'],
  'booking-waitlisted': ['date', 'code'],
  'booking-promoted': ['date', 'time', 'place', 'code'],
  'booking-changed': ['date', 'time', 'place', 'code'],
  'booking-cancelled': ['date', 'code'],
  'day-cancelled': ['date', 'reason'],
  'booking-reminder': ['date', 'time', 'place', 'code'],
  'booking-verify-code': ['code'],
  'booking-find-code': ['code'],
  'ledger-confirmation': ['title', 'link'],
  'firm-sign-in-code': ['code'],
  'firm-notice': ['title', 'link'],
  'firm-paired': ['liaison', 'mobile'],
  'ledger-cancelled': ['title', 'reason'],
  'ledger-overdue': ['title', 'date', 'reason'],
  // A lead's message to the bookers of a day: its date, the venue (short) and the message cut to fit.
  'day-notice': ['date', 'place', 'text'],
  // The link to the firm door is the deployment's own, written into its registered template (mainland
  // providers refuse links as variables); the full text carries it too.
  'checkup-report': ['firm', 'date'],
};

/**
 * One message as the local stand-ins received it (`GET /api/local/outbox`): what SES, the SMS
 * provider or the robot was asked to deliver, in the order they were asked.
 */
export type OutboxEntry =
  | {
      readonly channel: 'email';
      readonly id: string;
      readonly at: string;
      readonly to: readonly string[];
      readonly subject: string;
      readonly text: string;
      readonly attachments: readonly { fileName: string; contentType: string; content: string }[];
    }
  | {
      readonly channel: 'sms';
      readonly id: string;
      readonly at: string;
      /** The number as sent (SNS: E.164, +86…). */
      readonly to: string;
      readonly text: string;
      /** Present when the provider's protocol carries them (Aliyun, Tencent Cloud); SNS takes free text only. */
      readonly kind?: string;
      readonly params?: Readonly<Record<string, string>>;
    }
  | {
      readonly channel: 'robot';
      readonly id: string;
      readonly at: string;
      /** The robot's address, as called. */
      readonly to: string;
      /** The message's text (WeCom/DingTalk text or markdown content). */
      readonly text: string;
      readonly body: unknown;
    };
