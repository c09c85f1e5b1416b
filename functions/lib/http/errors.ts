/**
 * The typed errors of the product. Handlers throw these; one middleware
 * (handler.ts) turns them into `{"error": {code, message, fields}}` responses.
 * Anything else becomes `500 INTERNAL` and is logged, never shown.
 */
import type { ErrorCode, FieldErrors } from '../../../shared/api-errors.ts';

export type { ErrorCode, FieldErrors };

export class AppError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly fields: FieldErrors | undefined;
  /** More members of the error body (e.g. an import's row report). */
  readonly details: Record<string, unknown> | undefined;

  constructor(
    status: number,
    code: ErrorCode,
    message: string,
    fields?: FieldErrors,
    details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.details = details;
  }
}

export class ValidationError extends AppError {
  constructor(fields: FieldErrors, message = 'The request has invalid fields') {
    super(400, 'VALIDATION_FAILED', message, fields);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Sign-in required') {
    super(401, 'UNAUTHENTICATED', message);
  }
}

/** A still-valid token of an account that has been disabled since it was issued. */
export class AccountDisabledError extends AppError {
  constructor() {
    super(401, 'ACCOUNT_DISABLED', 'This account has been disabled');
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Your role may not do this') {
    super(403, 'FORBIDDEN', message);
  }
}

/** Also used for records outside the caller's scope: never reveal that they exist. */
export class NotFoundError extends AppError {
  constructor(message = 'Not found') {
    super(404, 'NOT_FOUND', message);
  }
}

/** 409 with a specific code: SLOT_FULL, ALREADY_BOOKED, VERSION_CONFLICT, INVALID_TRANSITION, … */
export class ConflictError extends AppError {
  constructor(code: ErrorCode, message: string) {
    super(409, code, message);
  }
}

/** 410 with a specific code: the thing was real but is void now (a confirmation link for an earlier resolution). */
export class GoneError extends AppError {
  constructor(code: ErrorCode, message: string) {
    super(410, code, message);
  }
}

/** 422: the request was understood but its content cannot be applied (e.g. an import with faulty rows). */
export class UnprocessableError extends AppError {
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(422, code, message, undefined, details);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number) {
    super(413, 'PAYLOAD_TOO_LARGE', `The request body exceeds ${limitBytes} bytes`);
  }
}

export class RateLimitedError extends AppError {
  /** Seconds until a retry may succeed: the `Retry-After` header of the answer. */
  readonly retryAfterSeconds: number;

  constructor(message = 'Too many requests, try again later', retryAfterSeconds = 60) {
    super(429, 'RATE_LIMITED', message);
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }
}

/** The value, or 404: for records that are missing (or, to the caller, might as well be). */
export const found = <T>(value: T | undefined): T => {
  if (value === undefined) throw new NotFoundError();
  return value;
};
