import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import { LoggerModule, type Params } from 'nestjs-pino';
import { stdTimeFunctions } from 'pino';
import { COMPLAINT_ID_CONTEXT_KEY } from '@complaints/messaging';
import type { DynamicModule } from '@nestjs/common';

const PROBES = ['/healthz', '/readyz', '/metrics'];

/** The trace and the complaint the current work belongs to, on every log line written during it. */
export function logContext(): Record<string, string> {
  const active = context.active();
  const span = trace.getSpan(active)?.spanContext();
  const complaintId = active.getValue(COMPLAINT_ID_CONTEXT_KEY);
  return {
    ...(span && isSpanContextValid(span) ? { trace_id: span.traceId, span_id: span.spanId } : {}),
    ...(typeof complaintId === 'string' && complaintId ? { complaint_id: complaintId } : {}),
  };
}

/** The path only: query strings can carry a complainant's phone number or name (searches). */
function pathOf(url: string | undefined): string {
  return (url ?? '').split('?')[0] ?? '';
}

/**
 * pino for Nest's loggers: one JSON object per line on stdout with `service`, `trace_id`,
 * `span_id` and `complaint_id`. Requests are logged by method, path and status only (never
 * headers, query or body: API keys and personal data stay out of the logs). `accessLog`: the
 * gateway logs every request; the services only errors. LOG_LEVEL sets the level (default info).
 */
export function loggingModule(service: string, options: { accessLog: boolean }): DynamicModule {
  const params: Params = {
    pinoHttp: {
      level: process.env.LOG_LEVEL ?? 'info',
      base: { service },
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: logContext,
      autoLogging: options.accessLog
        ? { ignore: (request: IncomingMessage) => PROBES.some((probe) => pathOf(request.url) === probe) }
        : false,
      serializers: {
        req: (request: IncomingMessage & { id?: unknown }) => ({
          id: request.id,
          method: request.method,
          path: pathOf(request.url),
        }),
        res: (response: ServerResponse) => ({ status: response.statusCode }),
      },
    },
  };
  return LoggerModule.forRoot(params);
}
