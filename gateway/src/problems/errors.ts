import type { ProblemKind } from './problem-types';

export interface InvalidParam {
  /** Dotted path of the field, or `(body)` for the body as a whole. */
  name: string;
  reason: string;
}

/**
 * Errors the gateway raises itself at the edge (authentication, scope, limits). They carry no
 * HTTP machinery: the ProblemDetailsFilter turns each kind into its status and problem type.
 */
export abstract class GatewayError extends Error {
  abstract readonly kind: ProblemKind;
  /** For validation problems: each invalid field. */
  readonly invalidParams?: InvalidParam[];

  /** Response headers the client needs to act on the problem. */
  headers(): Record<string, string> {
    return {};
  }
}

export class ValidationProblem extends GatewayError {
  readonly kind = 'validation-error';
  constructor(override readonly invalidParams: InvalidParam[]) {
    super(`invalid request: ${invalidParams.map((param) => param.name).join(', ')}`);
    this.name = 'ValidationProblem';
  }
}

export class UnauthenticatedError extends GatewayError {
  readonly kind = 'unauthenticated';
  constructor(message: string) {
    super(message);
    this.name = 'UnauthenticatedError';
  }

  /** RFC 9110 §11.6.1: a 401 names the scheme that would succeed. */
  override headers(): Record<string, string> {
    return { 'WWW-Authenticate': 'Bearer' };
  }
}

export class ForbiddenError extends GatewayError {
  readonly kind = 'forbidden';
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenError';
  }
}

export class RateLimitedError extends GatewayError {
  readonly kind = 'rate-limited';
  constructor(
    readonly retryAfterSeconds: number,
    what = 'too many requests for this API key',
  ) {
    super(`${what}; retry in ${retryAfterSeconds} s`);
    this.name = 'RateLimitedError';
  }

  override headers(): Record<string, string> {
    return { 'Retry-After': String(this.retryAfterSeconds) };
  }
}

export class MalformedBodyError extends GatewayError {
  readonly kind = 'malformed-body';
  constructor(message = 'the body is not valid JSON') {
    super(message);
    this.name = 'MalformedBodyError';
  }
}

export class PayloadTooLargeError extends GatewayError {
  readonly kind = 'payload-too-large';
  constructor(readonly limitBytes: number) {
    super(`the body is larger than ${limitBytes} bytes`);
    this.name = 'PayloadTooLargeError';
  }
}

export class UnsupportedMediaTypeError extends GatewayError {
  readonly kind = 'unsupported-media-type';
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedMediaTypeError';
  }
}

/** The group's identity provider cannot be reached: nothing wrong with the token, so retry later. */
export class IdentityProviderUnavailableError extends GatewayError {
  readonly kind = 'service-unavailable';
  constructor() {
    super('the identity provider cannot be reached to check the access token; retry later');
    this.name = 'IdentityProviderUnavailableError';
  }

  override headers(): Record<string, string> {
    return { 'Retry-After': '5' };
  }
}
