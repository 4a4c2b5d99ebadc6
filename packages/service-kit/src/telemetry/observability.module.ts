import {
  Controller,
  Get,
  Header,
  Injectable,
  Module,
  type CallHandler,
  type DynamicModule,
  type ExecutionContext,
  type INestApplication,
  type NestInterceptor,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { status as grpcStatus } from '@grpc/grpc-js';
import type { NextFunction, Request, Response } from 'express';
import { Logger as PinoLogger } from 'nestjs-pino';
import { catchError, tap, throwError, type Observable } from 'rxjs';
import { DomainError, GRPC_STATUS_BY_CODE } from '../domain-errors';
import { labelMetrics, metrics, metricsRegistry } from './metrics';
import { loggingModule } from './logging';
import { currentTracing } from './tracing';

/** Prometheus scrapes every service here, on its HTTP port. */
@Controller()
export class MetricsController {
  @Get('metrics')
  @Header('Content-Type', metricsRegistry.contentType)
  async metrics(): Promise<string> {
    return metricsRegistry.metrics();
  }
}

/** Rate, errors and latency per gRPC method (the services' endpoints). */
@Injectable()
class GrpcMetricsInterceptor implements NestInterceptor {
  intercept(execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (execution.getType() !== 'rpc') return next.handle();
    const method = `${execution.getClass().name}.${execution.getHandler().name}`;
    const stop = metrics.grpcDuration.startTimer({ method });
    const done = (code: grpcStatus) => {
      stop();
      metrics.grpcRequests.inc({ method, code: grpcStatus[code] });
    };
    return next.handle().pipe(
      tap({ complete: () => done(grpcStatus.OK) }),
      catchError((error: unknown) => {
        done(error instanceof DomainError ? GRPC_STATUS_BY_CODE[error.code] : grpcStatus.INTERNAL);
        return throwError(() => error);
      }),
    );
  }
}

/** Spans still in the exporter's buffer leave before the process does. */
@Injectable()
class TracingFlush implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await currentTracing()?.shutdown();
  }
}

/** Metrics (`/metrics`), JSON logs and the trace flush on shutdown, for a service or the gateway. */
@Module({})
export class ObservabilityModule {
  static forRoot(service: string, options: { accessLog: boolean }): DynamicModule {
    labelMetrics(service);
    return {
      module: ObservabilityModule,
      imports: [loggingModule(service, options)],
      controllers: [MetricsController],
      providers: [{ provide: APP_INTERCEPTOR, useClass: GrpcMetricsInterceptor }, TracingFlush],
    };
  }
}

/** Rate, errors and latency per HTTP route (its pattern, so ids do not make a series each). */
function httpMetrics(request: Request, response: Response, next: NextFunction): void {
  const started = process.hrtime.bigint();
  response.on('finish', () => {
    // Express sets `route` on the request once a route matched it; nothing matched is one series.
    const matched = (request as { route?: { path?: unknown } }).route;
    const route = matched?.path;
    const labels = { route: typeof route === 'string' ? route : 'unmatched', method: request.method };
    metrics.httpRequests.inc({ ...labels, status: String(response.statusCode) });
    metrics.httpDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
  });
  next();
}

/**
 * Call on the app before it listens: pino as Nest's logger (unless `quiet`, for in-process
 * tests), HTTP metrics on every request.
 */
export function observeApp(app: INestApplication, options: { quiet?: boolean } = {}): void {
  if (!options.quiet) app.useLogger(app.get(PinoLogger));
  app.use(httpMetrics);
}
