import type { ErrorRequestHandler } from 'express';
import { GatewayError, MalformedBodyError, PayloadTooLargeError, UnsupportedMediaTypeError } from './errors';

/**
 * body-parser reports through http-errors with a `type` (`entity.too.large`, `entity.parse.failed`
 * …). Nest would turn a parse failure into a bare BadRequestException, losing which problem it
 * was, so they become our own errors before Nest sees them.
 */
export function fromBodyParserError(error: unknown): GatewayError | undefined {
  if (typeof error !== 'object' || error === null || !('type' in error) || typeof error.type !== 'string')
    return undefined;
  switch (error.type) {
    case 'entity.too.large':
      return new PayloadTooLargeError('limit' in error && typeof error.limit === 'number' ? error.limit : 0);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new UnsupportedMediaTypeError(error instanceof Error ? error.message : 'unsupported body encoding');
    case 'entity.parse.failed':
    case 'entity.verify.failed':
    case 'request.aborted':
    case 'request.size.invalid':
      return new MalformedBodyError();
    default:
      return undefined;
  }
}

/** Express error middleware, registered right after the body parser. */
export const bodyParserErrors: ErrorRequestHandler = (error, _request, _response, next) => {
  next(fromBodyParserError(error) ?? error);
};
