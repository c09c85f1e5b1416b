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
    readonly email?: boolean;
    /** Create staff accounts in the user pool. */
    readonly users?: boolean;
    /**
     * Send text messages through the deployment's provider: SNS direct publish, or reading the
     * mainland provider's key from Secrets Manager (infra/constructs/grants.ts, grantSmsSending).
     */
    readonly sms?: boolean;
  };
}

export const functions = {
  public: {
    description: 'Public API: health and consultation-day booking',
    memoryMb: 512,
    timeoutSeconds: 10,
    grants: { table: 'readWrite', email: true },
  },
  staff: {
    description: 'Staff API: everything behind sign-in',
    // An import of 5,000 rows runs inside one request: more CPU, and API Gateway's 30 s at most.
    memoryMb: 1024,
    timeoutSeconds: 29,
    grants: { table: 'readWrite', bucket: 'readWrite', email: true, users: true, sms: true },
  },
  jobs: {
    description: 'Scheduled jobs fired by EventBridge Scheduler',
    memoryMb: 256,
    timeoutSeconds: 300,
    // sms: the booking reminders (and booker messages) reach a firm that gave only a mobile.
    grants: { table: 'readWrite', email: true, sms: true },
  },
} as const satisfies Record<string, FunctionDef>;

export type FunctionName = keyof typeof functions;
export const functionNames = Object.keys(functions) as FunctionName[];

/** Path of a function's entry module, relative to the repository root. */
export const functionEntry = (name: FunctionName): string => `functions/${name}/index.ts`;
