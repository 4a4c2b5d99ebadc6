import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Every metric of the platform, named once: deploy/prometheus/alerts.yaml and deploy/README.md
 * use these names. Each process has one registry, served at `/metrics` on its HTTP port, and
 * every series carries the `service` label (set at start-up).
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

const registers = [metricsRegistry];

/** How consumer lag is read at scrape time (the service's event bus sets it). */
let lagSource: (() => Promise<{ consumer: string; pending: number; ackPending: number }[]>) | undefined;
export function measureConsumerLag(source: typeof lagSource): void {
  lagSource = source;
}
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const metrics = {
  httpRequests: new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by route pattern, method and status code.',
    labelNames: ['route', 'method', 'status'] as const,
    registers,
  }),
  httpDuration: new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route pattern and method.',
    labelNames: ['route', 'method'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  }),
  grpcRequests: new Counter({
    name: 'grpc_server_requests_total',
    help: 'gRPC calls served, by method and status code name.',
    labelNames: ['method', 'code'] as const,
    registers,
  }),
  grpcDuration: new Histogram({
    name: 'grpc_server_request_duration_seconds',
    help: 'Time to serve a gRPC call, by method.',
    labelNames: ['method'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  }),
  eventsConsumed: new Counter({
    name: 'events_consumed_total',
    help: 'Complaint events a durable consumer handled, by consumer, event type and outcome (ok, retry, dead).',
    labelNames: ['consumer', 'type', 'outcome'] as const,
    registers,
  }),
  eventsRedelivered: new Counter({
    name: 'events_redelivered_total',
    help: 'Deliveries of an event after its first, by consumer.',
    labelNames: ['consumer'] as const,
    registers,
  }),
  consumerPending: new Gauge({
    name: 'consumer_pending_messages',
    help: 'Consumer lag: events in the stream not yet delivered (pending) or delivered and not yet acknowledged (ack_pending).',
    labelNames: ['consumer', 'state'] as const,
    registers,
    async collect() {
      if (!lagSource) return;
      // A scrape while NATS is away shows no lag series rather than failing the whole scrape.
      const lag = await lagSource().catch(() => []);
      this.reset();
      for (const { consumer, pending, ackPending } of lag) {
        this.set({ consumer, state: 'pending' }, pending);
        this.set({ consumer, state: 'ack_pending' }, ackPending);
      }
    },
  }),
  consumerInFlight: new Gauge({
    name: 'consumer_in_flight_events',
    help: 'Events a durable consumer of this replica holds: running (a handler busy with it) or waiting (behind an event of the same complaint, or for a free handler).',
    labelNames: ['consumer', 'state'] as const,
    registers,
  }),
  workflowStarts: new Counter({
    name: 'workflow_starts_total',
    help: 'Temporal workflow starts requested, by workflow type and result (started, already_started, failed).',
    labelNames: ['workflow', 'result'] as const,
    registers,
  }),
  deadlineBreaches: new Counter({
    name: 'deadline_breaches_total',
    help: 'Deadlines missed (reply, resolution, callback …), by complaint severity, deadline and cause (missed: by staff; platform_late: the lifecycle started after it had passed).',
    labelNames: ['severity', 'deadline', 'cause'] as const,
    registers,
  }),
  requestsShed: new Counter({
    name: 'http_requests_shed_total',
    help: 'Requests refused with 503 before any work because the service behind was at its limit, by route.',
    labelNames: ['route'] as const,
    registers,
  }),
  storeCommands: new Counter({
    name: 'store_commands_total',
    help: 'Commands sent to the MongoDB-compatible store (one round trip each), by command and collection: the bench divides them by complaints.',
    labelNames: ['command', 'collection'] as const,
    registers,
  }),
  eventsPublished: new Counter({
    name: 'events_published_total',
    help: 'Complaint events published to JetStream (each a round trip to NATS), by event type.',
    labelNames: ['type'] as const,
    registers,
  }),
  activitiesRun: new Counter({
    name: 'temporal_activities_total',
    help: 'Temporal activity executions this worker ran, by activity type and outcome (ok, failed).',
    labelNames: ['activity', 'outcome'] as const,
    registers,
  }),
  notificationDeliveries: new Counter({
    name: 'notification_deliveries_total',
    help: 'Notification delivery attempts and outcomes, by channel and status (sent, failed, dead).',
    labelNames: ['channel', 'status'] as const,
    registers,
  }),
};

/** Sets the `service` label on every series of this process. */
export function labelMetrics(service: string): void {
  metricsRegistry.setDefaultLabels({ service });
}
