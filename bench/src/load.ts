import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { complaintBody } from './complaints';

export interface AcceptedComplaint {
  complaintId: string;
  /** Client clock (epoch ms) when the request was written to the socket. */
  sentAt: number;
  latencyMs: number;
}

export interface LoadResult {
  /** 1, 5 and 15 minute load averages just before: anything else busy on the machine skews the figures. */
  loadAverageBefore: number[];
  startedAt: Date;
  finishedAt: Date;
  /** autocannon uses at most one connection per request per second of rate. */
  connections: number;
  sent: number;
  accepted: AcceptedComplaint[];
  /** Non-2xx answers (and 2xx without a complaint id, as `2xx-without-id`). */
  rejectedByStatus: Record<string, number>;
  /** Connection errors and timeouts, as autocannon counts them (a timeout is also an error). */
  errors: number;
  timeouts: number;
}

export interface LoadOptions {
  gatewayUrl: string;
  apiKey: string;
  ratePerSecond: number;
  durationSeconds: number;
  connections: number;
  signal: AbortSignal;
}

/** autocannon keeps one context object per connection; with no pipelining one request is in flight on it. */
interface InFlight {
  sentAt?: number;
  sentPerf?: number;
}

/** POSTs complaints at the target rate for the duration; every answer is booked per request. */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  // Part of every contact, location and Idempotency-Key: a second run never repeats the first.
  const runId = randomBytes(4).toString('hex');
  let seq = 0;
  const loadAverageBefore = os.loadavg();
  const accepted: AcceptedComplaint[] = [];
  const rejectedByStatus: Record<string, number> = {};
  const reject = (status: string): void => {
    rejectedByStatus[status] = (rejectedByStatus[status] ?? 0) + 1;
  };

  return new Promise((resolve, reject_) => {
    const instance = autocannon(
      {
        url: options.gatewayUrl,
        connections: options.connections,
        overallRate: options.ratePerSecond,
        duration: options.durationSeconds,
        // A slow registration is measured, not cut off at autocannon's default of 10 s.
        timeout: 30,
        // With a rate, autocannon "corrects" each latency with an expected interval of
        // ceil(1 / rate) = 1 ms (seconds taken for ms), adding made-up samples; the latency
        // figures here come from the per-request bookkeeping below anyway.
        ignoreCoordinatedOmission: true,
        requests: [
          {
            method: 'POST',
            path: '/v1/complaints',
            setupRequest: (request, context) => {
              // Called right before the request is written, so this is its send time.
              const inFlight = context as InFlight;
              inFlight.sentAt = Date.now();
              inFlight.sentPerf = performance.now();
              const n = ++seq;
              return {
                ...request,
                headers: {
                  ...request.headers,
                  authorization: `Bearer ${options.apiKey}`,
                  'content-type': 'application/json',
                  // Partners are told to send one (README, partner API), so the measured path includes it.
                  'idempotency-key': `bench-${runId}-${n}`,
                },
                body: JSON.stringify(complaintBody(runId, n)),
              };
            },
            onResponse: (status, body, context) => {
              const { sentAt, sentPerf } = context as InFlight;
              const latencyMs = sentPerf === undefined ? NaN : performance.now() - sentPerf;
              if (status < 200 || status >= 300) return reject(String(status));
              const complaintId = idOf(body);
              if (complaintId === undefined || sentAt === undefined) return reject('2xx-without-id');
              accepted.push({ complaintId, sentAt, latencyMs });
            },
          },
        ],
      },
      (error: unknown, result: autocannon.Result) => {
        options.signal.removeEventListener('abort', stop);
        if (error)
          return reject_(error instanceof Error ? error : new Error(`autocannon failed: ${JSON.stringify(error)}`));
        resolve({
          loadAverageBefore,
          startedAt: result.start,
          finishedAt: result.finish,
          connections: result.connections,
          sent: seq,
          accepted,
          rejectedByStatus,
          errors: result.errors,
          timeouts: result.timeouts,
        });
      },
    );
    const stop = (): void => instance.stop();
    options.signal.addEventListener('abort', stop);
  });
}

function idOf(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && 'id' in parsed && typeof parsed.id === 'string') {
      return parsed.id;
    }
  } catch {
    // not JSON: counted as an answer without an id
  }
  return undefined;
}
