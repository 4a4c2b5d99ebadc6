import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import { complaintBody, type RegisterComplaint } from './complaints';

export interface Answer {
  /** The n-th request of the run (from 1). */
  seq: number;
  /** Epoch ms when the request was due by the arrival schedule. */
  dueAt: number;
  /** From when it was due to the whole answer: waiting for a socket included (open model). */
  latencyMs: number;
  /** HTTP status, or 0 when the request failed without one (connection error, timeout). */
  status: number;
  complaintId?: string;
  retryAfter?: string;
  /** Sends it took: more than 1 when a shed request (503 + Retry-After) was sent again. */
  attempts: number;
}

export interface LoadRun {
  ratePerSecond: number;
  startedAt: number;
  /** When the last request was due. */
  lastDueAt: number;
  finishedAt: number;
  loadAverageBefore: number[];
  answers: Answer[];
}

export interface LoadOptions {
  gatewayUrl: string;
  apiKey: string;
  ratePerSecond: number;
  /** Requests in all: rate × seconds for a timed phase. */
  requests: number;
  signal: AbortSignal;
  /** The body of the n-th request (default: an everyday complaint of its own). */
  body?: (runId: string, seq: number) => RegisterComplaint & Record<string, unknown>;
  /** Seconds before a request is given up (counted as status 0). */
  timeoutSeconds?: number;
  /**
   * Send a request answered 503, 504 or not at all again after Retry-After (or 2 s), with the
   * same body and Idempotency-Key, as partners are told to; at most this many sends in all.
   * Default 1: no retry.
   */
  maxAttempts?: number;
}

/**
 * Open-model load: request n is sent at start + n / rate whatever happened to the earlier ones,
 * so a slow platform sees its backlog grow instead of the client politely waiting (what a
 * closed-loop tool with a fixed number of connections does, hiding overload). Latency counts from
 * when the request was due, so time spent waiting for a free socket is the platform's too.
 */
export async function runOpenLoad(options: LoadOptions): Promise<LoadRun> {
  const runId = randomBytes(4).toString('hex');
  const url = new URL('/v1/complaints', options.gatewayUrl);
  // Enough sockets that the client is never the bottleneck; each waits for its answer.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2_000 });
  const bodyOf = options.body ?? complaintBody;
  const timeoutMs = (options.timeoutSeconds ?? 30) * 1000;
  const maxAttempts = options.maxAttempts ?? 1;
  const answers: Answer[] = [];
  const loadAverageBefore = os.loadavg();
  const startedAt = Date.now();
  const startPerf = performance.now();
  const inFlight: Promise<void>[] = [];
  let lastDueAt = startedAt;

  for (let seq = 1; seq <= options.requests && !options.signal.aborted; seq++) {
    const dueOffset = ((seq - 1) * 1000) / options.ratePerSecond;
    const wait = dueOffset - (performance.now() - startPerf);
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const dueAt = startedAt + dueOffset;
    const duePerf = startPerf + dueOffset;
    lastDueAt = dueAt;
    const body = JSON.stringify(bodyOf(runId, seq));
    const send = async (): Promise<void> => {
      for (let attempts = 1; ; attempts++) {
        const answer = await post(agent, url, options.apiKey, body, `bench-${runId}-${seq}`, timeoutMs);
        // Shed (503), timed out at the gateway (504) or no answer at all: a partner sends the same
        // request again (the Idempotency-Key makes that safe), after Retry-After or 2 s.
        const retryAfterSeconds = Number(answer.retryAfter ?? 2);
        const retryable = answer.status === 503 || answer.status === 504 || answer.status === 0;
        if (retryable && attempts < maxAttempts && Number.isFinite(retryAfterSeconds)) {
          await new Promise((resolve) => setTimeout(resolve, retryAfterSeconds * 1000));
          continue;
        }
        answers.push({ seq, dueAt, latencyMs: performance.now() - duePerf, attempts, ...answer });
        return;
      }
    };
    inFlight.push(send());
  }
  await Promise.all(inFlight);
  agent.destroy();
  return {
    ratePerSecond: options.ratePerSecond,
    startedAt,
    lastDueAt,
    finishedAt: Date.now(),
    loadAverageBefore,
    answers: answers.sort((a, b) => a.seq - b.seq),
  };
}

function post(
  agent: http.Agent,
  url: URL,
  apiKey: string,
  body: string,
  idempotencyKey: string,
  timeoutMs: number,
): Promise<Pick<Answer, 'status' | 'complaintId' | 'retryAfter'>> {
  return new Promise((resolve) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${apiKey}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          // Partners are told to send one (docs/partners.md), so the measured path includes it.
          'idempotency-key': idempotencyKey,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          const retryAfter = response.headers['retry-after'];
          resolve({
            status,
            ...(status >= 200 && status < 300 ? { complaintId: idOf(Buffer.concat(chunks).toString('utf8')) } : {}),
            ...(typeof retryAfter === 'string' ? { retryAfter } : {}),
          });
        });
        response.on('error', () => resolve({ status: 0 }));
      },
    );
    request.setTimeout(timeoutMs, () => request.destroy(new Error('timeout')));
    request.on('error', () => resolve({ status: 0 }));
    request.end(body);
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
