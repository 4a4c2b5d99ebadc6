import { NotFoundException } from '@nestjs/common';
import { Metadata, status } from '@grpc/grpc-js';
import { asciiJson, DomainError, INVALID_PARAMS_METADATA, NotFoundError } from '@complaints/service-kit';
import { fromBodyParserError } from './body-parser-errors';
import { RateLimitedError, UnauthenticatedError, ValidationProblem } from './errors';
import { PROBLEM_TYPES } from './problem-types';
import { toProblem } from './to-problem';

function grpcError(code: status, details: string, metadata = new Metadata()) {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata });
}

/** body-parser's errors are http-errors with a `type`. */
function bodyParserError(type: string, statusCode: number) {
  return Object.assign(new Error(type), { type, status: statusCode, statusCode, expose: true });
}

describe('problem details for each error', () => {
  it('keeps every problem type a lower-case slug with an error status', () => {
    for (const [kind, { status: code }] of Object.entries(PROBLEM_TYPES)) {
      expect(code).toBeGreaterThanOrEqual(400);
      expect(kind).toMatch(/^[a-z-]+$/);
    }
  });

  it('names each invalid field of a validation problem', () => {
    const { problem } = toProblem(new ValidationProblem([{ name: 'propertyId', reason: 'outside the key' }]));
    expect(problem).toMatchObject({
      type: '/problems/validation-error',
      status: 400,
      invalidParams: [{ name: 'propertyId', reason: 'outside the key' }],
    });
  });

  it('asks for a bearer key on 401', () => {
    const { problem, headers, log } = toProblem(new UnauthenticatedError('no key'));
    expect(problem).toMatchObject({ type: '/problems/unauthenticated', status: 401 });
    expect(headers).toEqual({ 'WWW-Authenticate': 'Bearer' });
    expect(log).toBe('none');
  });

  it('says when to come back on 429', () => {
    const { problem, headers } = toProblem(new RateLimitedError(17));
    expect(problem).toMatchObject({ type: '/problems/rate-limited', status: 429 });
    expect(headers).toEqual({ 'Retry-After': '17' });
  });

  it('maps domain errors by code', () => {
    expect(toProblem(new NotFoundError('API key k1')).problem).toMatchObject({
      type: '/problems/not-found',
      status: 404,
      detail: 'API key k1 not found',
    });
    expect(toProblem(new DomainError('conflict', 'taken')).problem.status).toBe(409);
  });

  it.each([
    [status.NOT_FOUND, 404, '/problems/not-found'],
    [status.ALREADY_EXISTS, 409, '/problems/conflict'],
    [status.FAILED_PRECONDITION, 409, '/problems/conflict'],
    [status.UNAVAILABLE, 503, '/problems/service-unavailable'],
    [status.DEADLINE_EXCEEDED, 504, '/problems/upstream-timeout'],
    [status.INTERNAL, 500, '/problems/internal'],
    [status.UNKNOWN, 500, '/problems/internal'],
  ])('maps gRPC status %s to %s', (code, httpStatus, type) => {
    expect(toProblem(grpcError(code, 'complaint c1 not found')).problem).toMatchObject({ status: httpStatus, type });
  });

  it('tells clients to retry when a service is down or slow, without passing on what it said', () => {
    for (const code of [status.UNAVAILABLE, status.DEADLINE_EXCEEDED]) {
      const { problem, headers, log } = toProblem(grpcError(code, 'connect ECONNREFUSED 10.0.0.7:50051'));
      expect(headers).toEqual({ 'Retry-After': '5' });
      expect(JSON.stringify(problem)).not.toContain('10.0.0.7');
      expect(log).toBe('warn');
    }
  });

  it('passes on the invalid fields intake names in its trailer', () => {
    const metadata = new Metadata();
    metadata.set(INVALID_PARAMS_METADATA, JSON.stringify({ propertyId: 'unknown property' }));
    expect(toProblem(grpcError(status.INVALID_ARGUMENT, 'invalid complaint', metadata)).problem).toMatchObject({
      type: '/problems/validation-error',
      status: 400,
      invalidParams: [{ name: 'propertyId', reason: 'unknown property' }],
    });
  });

  it('reads back invalid fields whose reasons quote Chinese or control characters', () => {
    const reason = 'week must look like 2026-W48, not "第四十八周\n😀"';
    // What made such a request a 500: a metadata value holds printable ASCII only.
    expect(() => new Metadata().set(INVALID_PARAMS_METADATA, JSON.stringify({ period: reason }))).toThrow();
    const metadata = new Metadata();
    metadata.set(INVALID_PARAMS_METADATA, asciiJson({ period: reason }));
    expect(toProblem(grpcError(status.INVALID_ARGUMENT, 'invalid period', metadata)).problem).toMatchObject({
      status: 400,
      invalidParams: [{ name: 'period', reason }],
    });
  });

  it('maps body-parser failures: too large, malformed, unsupported charset', () => {
    const problemOf = (type: string, code: number) =>
      toProblem(fromBodyParserError(bodyParserError(type, code))).problem;
    expect(problemOf('entity.too.large', 413)).toMatchObject({ type: '/problems/payload-too-large', status: 413 });
    expect(problemOf('entity.parse.failed', 400)).toMatchObject({ type: '/problems/malformed-body', status: 400 });
    expect(problemOf('charset.unsupported', 415)).toMatchObject({ type: '/problems/unsupported-media-type' });
    expect(fromBodyParserError(new SyntaxError('not from body-parser'))).toBeUndefined();
  });

  it('maps Nest exceptions (an unknown route) by status', () => {
    expect(toProblem(new NotFoundException('Cannot GET /nope')).problem).toMatchObject({
      type: '/problems/not-found',
      status: 404,
    });
  });

  it('answers 503 when the gateway database cannot be reached', () => {
    const error = Object.assign(new Error('Server selection timed out'), { name: 'MongoServerSelectionError' });
    expect(toProblem(error)).toMatchObject({ problem: { status: 503 }, headers: { 'Retry-After': '5' } });
  });

  it('hides anything else behind a 500 and logs it as our fault', () => {
    const { problem, log } = toProblem(new TypeError('cannot read x of undefined'));
    expect(problem).toEqual({ type: '/problems/internal', title: 'Internal error', status: 500 });
    expect(log).toBe('error');
  });
});
