/**
 * The Lambda functions of the product, as data. Each name maps to the module
 * `functions/<name>/index.ts` that exports `handler`. CDK builds one function per
 * entry and grants it exactly what `grants` names; the local runtime loads the same modules.
 */
export interface FunctionDef {
  readonly description: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly grants: {
    readonly table?: 'read' | 'readWrite';
    readonly bucket?: 'read' | 'readWrite';
    /**
     * Sign presigned uploads into the bucket's `unattached/` prefix only (s3:PutObject there): S3
     * checks a presigned PUT against its signer's rights, so a function that hands out upload URLs
     * needs this even when it may not write files itself.
     */
    readonly uploads?: boolean;
    readonly email?: boolean;
    /** Create staff accounts in the user pool. */
    readonly users?: boolean;
    /**
     * Send text messages through the deployment's provider: SNS direct publish, or reading the
     * mainland provider's key from Secrets Manager (infra/constructs/grants.ts, grantSmsSending).
     */
    readonly sms?: boolean;
    /** Sign firm tokens with the KMS key (kms:Sign, kms:GetPublicKey on that key only). */
    readonly firmKey?: boolean;
  };
  /** Invoked by the table's stream (an event source mapping), not by routes or schedules. */
  readonly stream?: StreamTrigger;
}

/**
 * How a function reads the table's stream (NEW_IMAGE): which records reach it (a Lambda event
 * filter pattern, which the local runtime applies the same way), how many at once, how often a
 * failing batch is retried (halved each time) before its position goes to the dead-letter queue.
 */
export interface StreamTrigger {
  readonly filter: Readonly<Record<string, unknown>>;
  readonly batchSize: number;
  readonly retryAttempts: number;
  /** A record older than this is given up (to the dead-letter queue); the sweep still finds its message. */
  readonly maxRecordAgeSeconds: number;
}

/**
 * Outgoing messages just recorded or released (functions/lib/messaging/outgoing.ts): inserted or
 * modified records of type `message` carrying `wake`, which the claim of a delivery round removes,
 * so the deliveries function's own writes never wake it again.
 */
export const MESSAGE_STREAM: StreamTrigger = {
  filter: {
    eventName: ['INSERT', 'MODIFY'],
    dynamodb: { NewImage: { type: { S: ['message'] }, wake: { S: ['1'] } } },
  },
  batchSize: 20,
  retryAttempts: 4,
  maxRecordAgeSeconds: 3600,
};

export const functions = {
  public: {
    description: 'Public API: health and consultation-day booking',
    memoryMb: 512,
    timeoutSeconds: 10,
    // Sends nothing: a booker's message is recorded with the booking and sent by `deliveries`.
    // Signs firm tokens after an SMS sign-in (the firm's door). Reads the bucket to presign the GET
    // of a resolve's photos for the firm's confirmation page.
    grants: { table: 'readWrite', bucket: 'read', firmKey: true },
  },
  staff: {
    description: 'Staff API: everything behind sign-in',
    // An import of 5,000 rows runs inside one request: more CPU, and API Gateway's 30 s at most.
    memoryMb: 1024,
    timeoutSeconds: 29,
    // Sends nothing: invitations and confirmation links are recorded and sent by `deliveries`.
    grants: { table: 'readWrite', bucket: 'readWrite', users: true },
  },
  firm: {
    description: 'Firm API: a signed-in firm reads its own record and writes its own submissions',
    memoryMb: 256,
    timeoutSeconds: 10,
    // Its own function, not `public`'s: it cannot sign tokens, touch files or send whatever a bug lets
    // a firm ask. It writes the table since firms submit (requests, self-inspections, check-up
    // requests, ratings: issue 16), each write keyed by the token's USCC; messages it causes are
    // recorded, sent by `deliveries`. Reads the bucket to presign the GET of its check-up report's
    // signature image (issue 20), only the file attached as that check-up's signature; signs the
    // presigned PUT of a firm's photo (`POST /api/firm/evidence`) into `unattached/` only.
    grants: { table: 'readWrite', bucket: 'read', uploads: true },
  },
  jobs: {
    description: 'Scheduled jobs fired by EventBridge Scheduler',
    memoryMb: 256,
    timeoutSeconds: 300,
    // E-mail for the jobs' own messages; both channels for the sweep of outgoing messages.
    grants: { table: 'readWrite', email: true, sms: true },
  },
  deliveries: {
    description: 'Hands outgoing messages to e-mail and SMS, woken by the table stream',
    memoryMb: 256,
    // A message's three attempts per channel, with backoff, take seconds; a batch of 20 a minute at most.
    timeoutSeconds: 60,
    grants: { table: 'readWrite', email: true, sms: true },
    stream: MESSAGE_STREAM,
  },
} as const satisfies Record<string, FunctionDef>;

export type FunctionName = keyof typeof functions;
export const functionNames = Object.keys(functions) as FunctionName[];

/** Path of a function's entry module, relative to the repository root. */
export const functionEntry = (name: FunctionName): string => `functions/${name}/index.ts`;
