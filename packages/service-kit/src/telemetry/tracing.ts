import { NodeSDK } from '@opentelemetry/sdk-node';
// The SDK's own reading of OTEL_TRACES_EXPORTER / OTEL_EXPORTER_OTLP_* (otlp over http/protobuf,
// http/json or grpc; console; zipkin), so every standard variable works as documented upstream.
import { getSpanProcessorsFromEnv } from '@opentelemetry/sdk-node/build/src/utils';
import { envDetectorSync, Resource } from '@opentelemetry/resources';
import { NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/** Requests that are not work: probes and scrapes would drown the traces. */
const UNTRACED_PATHS = ['/healthz', '/readyz', '/metrics'];

export interface Tracing {
  /** Where spans go: the SDK's processor, shared with Temporal's workflow span sink. */
  processor: SpanProcessor;
  resource: Resource;
  /** An exporter is configured: spans leave the process (else they only carry trace ids). */
  exporting: boolean;
  shutdown(): Promise<void>;
}

let tracing: Tracing | undefined;

/**
 * Spans are exported only when an exporter is configured (an OTLP endpoint or
 * OTEL_TRACES_EXPORTER); without one the context still propagates, so logs keep their trace ids.
 */
function exportConfigured(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_TRACES_EXPORTER);
}

/**
 * Starts OpenTelemetry for this process. Must run before anything loads `http` or
 * `@grpc/grpc-js`, which it patches: the first import of each `main.ts`.
 * OTEL_SDK_DISABLED=true turns it off entirely.
 */
export function startTracing(service: string): Tracing | undefined {
  if (tracing || process.env.OTEL_SDK_DISABLED === 'true') return tracing;
  const resource = new Resource({ [ATTR_SERVICE_NAME]: `complaints-${service}` }).merge(envDetectorSync.detect());
  // With no processor at all the SDK would not register its context manager and propagators,
  // and trace ids would stop at the process boundary (and vanish from the logs).
  const exporting = exportConfigured(process.env);
  const processors = exporting ? getSpanProcessorsFromEnv() : [new NoopSpanProcessor()];
  // Workflow spans go to the first exporter only (several exporters are rare).
  const processor = processors[0] ?? new NoopSpanProcessor();
  const sdk = new NodeSDK({
    resource,
    autoDetectResources: false,
    spanProcessors: processors,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.some((path) => request.url?.startsWith(path)),
      }),
      // Readiness probes call Temporal's health check; they are not work either.
      new GrpcInstrumentation({ ignoreGrpcMethods: ['Check'] }),
    ],
  });
  sdk.start();
  tracing = { processor, resource, exporting, shutdown: () => sdk.shutdown() };
  return tracing;
}

/** The running tracing, if started (tests that build a module in-process run without it). */
export function currentTracing(): Tracing | undefined {
  return tracing;
}
