import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import {
  type ReceivedSpan,
  type RunningPlatform,
  SERVICES,
  eventually,
  startOtlpReceiver,
  startTestPlatform,
} from '@complaints/devstack';

// What an SRE relies on (issue 8): one trace per complaint across the services, probes and
// Prometheus metrics on every process, JSON logs without personal data, a clean SIGTERM.
describe('operations: traces, probes, metrics, logs and graceful shutdown', () => {
  let platform: RunningPlatform;
  let collector: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let stopped: Record<string, string> | undefined;

  beforeAll(async () => {
    collector = await startOtlpReceiver();
    platform = await startTestPlatform('operations', {
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        // Spans leave within a fifth of a second instead of five.
        OTEL_BSP_SCHEDULE_DELAY: '200',
      },
    });
  });
  afterAll(async () => {
    if (!stopped) await platform?.stop();
    await collector?.stop();
  });

  const complainant = { name: '李四', contact: '13912345678', type: 'consumer' };
  const traceId = randomBytes(16).toString('hex');

  let complaintId: string;

  it('follows one complaint in one trace: gateway, gRPC, NATS, Temporal workflow and activities, notification', async () => {
    // A partner's own trace: the platform continues it (W3C traceparent).
    const response = await fetch(`${platform.gatewayUrl}/v1/complaints`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${platform.apiKey}`,
        traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
      },
      body: JSON.stringify({
        propertyId: 'sh-mall',
        channel: 'phone',
        receivedAt: new Date(Math.floor(Date.now() / 1000) * 1000).toISOString(),
        complainant,
        location: 'B1 停车场',
        description: '停车场电梯停运半小时',
        demand: '尽快修复',
        severityHint: 'important',
      }),
    });
    expect(response.status).toBe(201);
    complaintId = ((await response.json()) as { id: string }).id;

    const inTrace = (): ReceivedSpan[] => collector.spans.filter((span) => span.traceId === traceId);
    const has = (service: string, name: RegExp) =>
      inTrace().some((span) => span.service === `complaints-${service}` && name.test(span.name));
    const expected: [string, RegExp][] = [
      ['gateway', /^POST/],
      ['intake', /RegisterComplaint/],
      ['routing', /^complaints\.v1\..* process$/],
      ['escalation', /^StartWorkflow:/],
      ['escalation', /^RunActivity:publishLifecycleEvents?$/],
      // Notifications are sent inside the event's handling (a workflow only for a retry or a wait).
      ['notification', /^complaints\.v1\..* process$/],
    ];
    await eventually(
      async () => (expected.every(([service, name]) => has(service, name)) ? true : undefined),
      `spans of trace ${traceId}: ${expected.map(([s, n]) => `${s} ${n}`).join(', ')}`,
      90_000,
    ).catch((error: unknown) => {
      const seen = inTrace().map((span) => `${span.service} ${span.name}`);
      throw new Error(`${String(error)}\nseen in the trace:\n${[...new Set(seen)].join('\n')}`);
    });
    // Every span hangs off another span of the trace, except the gateway's (its parent is the
    // partner's) and a workflow's activity calls (their RunWorkflow span is exported when the
    // workflow ends, and a complaint's lifecycle is still running).
    // Spans arrive in batches from each process, a parent sometimes after its child: wait for them.
    const orphans = () => {
      const ids = new Set(inTrace().map((span) => span.spanId));
      return inTrace()
        .filter((span) => !ids.has(span.parentSpanId) && !span.name.startsWith('StartActivity:'))
        .map((span) => `${span.service} ${span.name}`);
    };
    await eventually(
      async () => (orphans().length === 1 ? true : undefined),
      'every span of the trace to have its parent',
      30_000,
    ).catch(() => undefined);
    expect(orphans()).toEqual(['complaints-gateway POST']);
  }, 120_000);

  it('answers /healthz, /readyz and /metrics on every service and the gateway', async () => {
    const urls = {
      gateway: platform.gatewayUrl,
      ...Object.fromEntries(SERVICES.map((name) => [name, platform.services[name].httpUrl])),
    };
    for (const [name, url] of Object.entries(urls)) {
      expect([name, (await fetch(`${url}/healthz`)).status]).toEqual([name, 200]);
      const ready = await fetch(`${url}/readyz`);
      expect([name, ready.status]).toEqual([name, 200]);
      const scrape = await fetch(`${url}/metrics`);
      expect([name, scrape.status]).toEqual([name, 200]);
      expect(await scrape.text()).toContain(`process_cpu_seconds_total{service="${name}"}`);
    }
    const metrics = async (name: string) =>
      (
        await fetch(`${name === 'gateway' ? platform.gatewayUrl : platform.services[name as 'intake'].httpUrl}/metrics`)
      ).text();
    expect(await metrics('gateway')).toMatch(
      /http_requests_total\{route="\/v1\/complaints",method="POST",status="201",service="gateway"\} [1-9]/,
    );
    expect(await metrics('intake')).toMatch(
      /grpc_server_requests_total\{method="[A-Za-z]+\.registerComplaint",code="OK",service="intake"\} [1-9]/,
    );
    const routing = await metrics('routing');
    expect(routing).toMatch(
      /events_consumed_total\{consumer="[^"]*routing[^"]*",type="[a-z_.]+",outcome="ok",service="routing"\} [1-9]/,
    );
    expect(routing).toMatch(
      /consumer_pending_messages\{consumer="[^"]*routing[^"]*",state="pending",service="routing"\} \d/,
    );
    expect(await metrics('escalation')).toMatch(
      /workflow_starts_total\{workflow="[A-Za-z]+",result="started",service="escalation"\} [1-9]/,
    );
    // Deliveries run in their own workflows, a little after the events that caused them.
    await eventually(
      async () =>
        /notification_deliveries_total\{channel="[a-z]+",status="(sent|failed)",service="notification"\} [1-9]/.test(
          await metrics('notification'),
        )
          ? true
          : undefined,
      'a notification delivery counted',
    );
  });

  it('writes JSON logs with trace and complaint ids and no personal data', async () => {
    const lines = Object.values(platform.logFiles).flatMap((file) =>
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('{')),
    );
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((entry) => typeof entry.level === 'string' && typeof entry.service === 'string')).toBe(true);
    expect(entries.some((entry) => entry.complaint_id === complaintId && entry.trace_id === traceId)).toBe(true);
    const everything = Object.values(platform.logFiles)
      .map((file) => fs.readFileSync(file, 'utf8'))
      .join('\n');
    expect(everything).not.toContain(complainant.contact);
    expect(everything).not.toContain(complainant.name);
    expect(everything).not.toContain(platform.apiKey);
  });

  it('stops every process cleanly on SIGTERM', async () => {
    stopped = await platform.stop();
    for (const [name, how] of Object.entries(stopped)) expect([name, how]).toEqual([name, 'exited with code 0']);
    for (const file of Object.values(platform.logFiles)) {
      const log = fs.readFileSync(file, 'utf8');
      expect([file, log.includes('stopped cleanly')]).toEqual([file, true]);
    }
  }, 120_000);
});
