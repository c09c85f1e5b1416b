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

/** A text message to a mainland mobile number (the firm's contact when it gave no e-mail). */
export interface Sms {
  readonly to: string;
  readonly text: string;
}

export type OutboxEntry =
  | { kind: 'email'; id: string; at: string; message: Email }
  | { kind: 'webhook'; id: string; at: string; message: Webhook }
  | { kind: 'sms'; id: string; at: string; message: Sms };
