/**
 * The error half of the API contract (design: API conventions): every code the server answers in
 * `{"error": {code, message, fields?}}`, the envelope's type, and the one mapping of validation issues
 * to `fields`. The server's typed errors take an `ErrorCode`, so a code that is not listed here fails
 * the typecheck; every listed code has a message in both languages (`shared/messages/errors.ts`).
 *
 * This module holds no messages, so a browser script may import it without the dictionaries.
 */

/** Every code the API, the local gateway and runtime, and the edge (WAF) answer with. */
export const ERROR_CODES = [
  // any route
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'INTERNAL',
  'VERSION_CONFLICT',
  'INVALID_TRANSITION',
  'ALREADY_EXISTS',
  // consultation days and bookings
  'SLOT_FULL',
  'ALREADY_BOOKED',
  'BOOKING_CLOSED',
  'CAPACITY_BELOW_BOOKED',
  // attendance marked before the consultation day itself (Asia/Shanghai)
  'TOO_EARLY',
  // the roster import
  'IMPORT_IN_PROGRESS',
  'IMPORT_INTERRUPTED',
  'IMPORT_REJECTED',
  // pairings, contacts, ledger, accounts, robots
  'ALREADY_PAIRED',
  'EVIDENCE_TAKEN',
  'LINK_SUPERSEDED',
  'USERNAME_TAKEN',
  'ACCOUNTS_AT_ISSUER',
  // a still-valid token of an account an admin or lead has disabled since
  'ACCOUNT_DISABLED',
  'WEBHOOK_FAILED',
  // the firm's door: a sign-in code that does not open (wrong, expired, used, tried too often)
  'CODE_INVALID',
  // a booking's 10-minute hold ended before its SMS code was typed: its seat was given back
  'HOLD_EXPIRED',
  // a booking moved as often as it may (reschedule.ts, MAX_MOVES): cancel it and book again
  'MOVE_LIMIT',
  // 好差评: a rating on an item that is not closed, or a second rating of one item
  'NOT_CLOSED',
  'ALREADY_RATED',
  // the local runtime's job runner: no nudge schedule fires at the time asked
  'NOTHING_DUE',
  // an export (台账, compliance, audit log) that would hold more rows than one file may: narrow it
  'EXPORT_TOO_LARGE',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const isErrorCode = (value: unknown): value is ErrorCode =>
  typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);

/** The per-field messages of a refusal, keyed by the path inside the body, query or path (`_`: the whole). */
export type FieldErrors = Record<string, string>;

/** The body of every refusal. `details` members (e.g. an import's row report) sit beside the code. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  fields?: FieldErrors;
  [detail: string]: unknown;
}

export interface ErrorEnvelope {
  error: ErrorBody;
}

/** The message key of a code; anything that is not a listed code reads as `INTERNAL`. */
export type ErrorKey = `error.${ErrorCode}`;
export const errorKey = (code: unknown): ErrorKey => `error.${isErrorCode(code) ? code : 'INTERNAL'}`;

/** A validation issue as zod (and any schema library of the standard shape) reports it. */
export interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** Issues → `fields`: the first message per path, `_` for the value as a whole. */
export const fieldsOfIssues = (issues: readonly Issue[]): FieldErrors => {
  const fields: FieldErrors = {};
  for (const issue of issues) fields[issue.path.map(String).join('.') || '_'] ??= issue.message;
  return fields;
};
