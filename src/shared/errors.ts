/** An error with an HTTP status and a code a client can rely on; `expose` says its message is safe to show. */
export class AppError extends Error {
  /** The error page's heading, when the status's usual one would mislead (see errorHandler's titles). */
  pageTitle?: string;

  constructor(
    message: string,
    readonly status: number = 500,
    readonly code: string = 'internal_error',
    readonly expose: boolean = status < 500,
    /** A catastrophic error leaves the process in an unknown state: log it and stop. */
    readonly isCatastrophic: boolean = false,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message, 400, 'validation_failed');
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Please open Rounds from your course in the LMS.', code = 'unauthorized') {
    super(message, 401, code);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You do not have access to this page.') {
    super(message, 403, 'forbidden');
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'We could not find that page.') {
    super(message, 404, 'not_found');
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super(message, 409, 'conflict');
  }
}

export class TooManyRequestsError extends AppError {
  constructor(
    message = 'Rounds received too many requests from your network in a short time. Please wait a minute and try again.',
  ) {
    super(message, 429, 'rate_limited');
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(message = 'Rounds cannot reach its database right now. Please try again in a minute.') {
    super(message, 503, 'unavailable');
  }
}
