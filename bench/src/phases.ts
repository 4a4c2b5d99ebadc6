import type { Phase } from './config';
import { lifecycleStarts } from './lifecycles';
import { runOpenLoad, type LoadRun } from './open-load';
import {
  consumerBacklog,
  costPerComplaint,
  snapshot,
  total,
  type CostPerComplaint,
  type MetricsEndpoints,
  type Snapshot,
} from './platform-metrics';
import { distribution, round, type Distribution } from './stats';

/** The platform under measurement, as the bench reaches it. */
export interface BenchTarget {
  gatewayUrl: string;
  apiKey: string;
  temporalAddress: string;
  namespace: string;
  lifecycleTaskQueue: string;
  /** Each process's /metrics. */
  metrics: MetricsEndpoints;
  log: (line: string) => void;
  signal: AbortSignal;
}

export interface PhaseResult {
  phase: Phase;
  offeredPerSecond: number;
  requests: number;
  accepted: number;
  /** Answers other than 2xx by status (0: no answer), after retries where the phase retries. */
  refused: Record<string, number>;
  /** Requests answered 503 at least once (load shed) and sent again. */
  retriedAfterShedding: number;
  /** Accepted complaints per second over the time requests were being sent and answered. */
  acceptedPerSecond: number;
  postLatencyMs: Distribution;
  /** Set when the phase waits for the complaints to go through the whole platform. */
  endToEnd?: EndToEnd;
  /** Cost of one complaint once everything it caused is done, counted by the services. */
  cost: CostPerComplaint;
  /** Breach storm only. */
  storm?: StormFigures;
  loadAverageBefore: number[];
}

export interface EndToEnd {
  lifecyclesStarted: number;
  lifecyclesMissing: number;
  /** From when the POST was due to Temporal's start of the complaint's lifecycle. */
  postToLifecycleMs: Distribution;
  /** From the first request until every lifecycle started and every consumer was idle. */
  drainedAfterSeconds: number;
  /** From the last request until then. */
  drainedAfterLastPostSeconds: number;
  /** Complaints that went all the way through, per second of the phase (first POST to drained). */
  endToEndPerSecond: number;
  /** Unfinished events of all consumers, every 5 s while requests were sent: lag must not grow. */
  backlogWhileLoaded: number[];
  backlogGrowing: boolean;
}

export interface StormFigures {
  firstReplySeconds: number;
  breachesRecorded: number;
  /** When the first and the last of the storm's deadlines passed, seconds after the first POST. */
  firstDeadlineAtSeconds: number;
  lastDeadlineAtSeconds: number;
  /** Every breach recorded and every consumer idle, seconds after the last deadline passed. */
  notificationsDoneAfterLastDeadlineSeconds: number;
  /** The same, after the first deadline passed: an upper bound for any one breach's messages. */
  notificationsDoneAfterFirstDeadlineSeconds: number;
  breachNotificationsSent: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function backlogTotal(snap: Snapshot): number {
  return Object.values(consumerBacklog(snap)).reduce((sum, value) => sum + value, 0);
}

function summarizeLoad(run: LoadRun) {
  const accepted = run.answers.filter((answer) => answer.complaintId !== undefined);
  const refused: Record<string, number> = {};
  for (const answer of run.answers) {
    if (answer.complaintId === undefined) refused[String(answer.status)] = (refused[String(answer.status)] ?? 0) + 1;
  }
  const lastAnswerAt = Math.max(run.lastDueAt, ...accepted.map((answer) => answer.dueAt + answer.latencyMs));
  return {
    accepted,
    refused,
    retriedAfterShedding: run.answers.filter((answer) => answer.attempts > 1).length,
    acceptedPerSecond: round(accepted.length / Math.max(0.001, (lastAnswerAt - run.startedAt) / 1000)),
    postLatencyMs: distribution(accepted.map((answer) => answer.latencyMs)),
  };
}

/**
 * Waits until every accepted complaint's lifecycle has started and every durable consumer is idle
 * (or `waitSeconds` pass); `extraDone` adds a condition (the storm's breaches).
 */
async function waitUntilDrained(
  target: BenchTarget,
  ids: readonly string[],
  since: number,
  waitSeconds: number,
  extraDone: (snap: Snapshot) => boolean = () => true,
): Promise<{ doneAt: number | undefined; started: Map<string, number> }> {
  const deadline = Date.now() + waitSeconds * 1000;
  let started = new Map<string, number>();
  for (;;) {
    const snap = await snapshot(target.metrics);
    const idle = backlogTotal(snap) === 0 && extraDone(snap);
    if (idle || Date.now() >= deadline) {
      started = (
        await lifecycleStarts({
          temporalAddress: target.temporalAddress,
          namespace: target.namespace,
          taskQueue: target.lifecycleTaskQueue,
          since,
        })
      ).startedAt;
      const missing = ids.filter((id) => !started.has(id)).length;
      if (idle && missing === 0) return { doneAt: Date.now(), started };
      if (Date.now() >= deadline || target.signal.aborted) return { doneAt: undefined, started };
      target.log(`  waiting: ${missing} lifecycles not started, backlog ${JSON.stringify(consumerBacklog(snap))}`);
    }
    if (target.signal.aborted) return { doneAt: undefined, started };
    await sleep(3_000);
  }
}

interface PhasePlan {
  phase: Phase;
  ratePerSecond: number;
  requests: number;
  waitSeconds: number;
  maxAttempts: number;
  body?: Parameters<typeof runOpenLoad>[0]['body'];
  storm?: { firstReplySeconds: number };
}

export async function runPhase(target: BenchTarget, plan: PhasePlan): Promise<PhaseResult> {
  target.log(`${plan.phase}: ${plan.requests} complaints at ${plan.ratePerSecond}/s …`);
  const before = await snapshot(target.metrics);
  const backlog: number[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      await sleep(5_000);
      if (sampling) backlog.push(backlogTotal(await snapshot(target.metrics).catch(() => ({}))));
    }
  })();
  const run = await runOpenLoad({
    gatewayUrl: target.gatewayUrl,
    apiKey: target.apiKey,
    ratePerSecond: plan.ratePerSecond,
    requests: plan.requests,
    signal: target.signal,
    maxAttempts: plan.maxAttempts,
    ...(plan.body ? { body: plan.body } : {}),
  });
  sampling = false;
  await sampler;
  const load = summarizeLoad(run);
  target.log(
    `${plan.phase}: ${load.accepted.length} accepted (${load.acceptedPerSecond}/s), refused ${JSON.stringify(load.refused)}, ` +
      `POST p99 ${load.postLatencyMs.p99} ms; waiting for the platform to finish …`,
  );

  const ids = load.accepted.map((answer) => answer.complaintId as string);
  const breaches = (snap: Snapshot) => total(snap.escalation ?? [], 'deadline_breaches_total');
  const breachesBefore = breaches(before);
  const stormDone = plan.storm
    ? (snap: Snapshot) => breaches(snap) - breachesBefore >= load.accepted.length
    : undefined;
  const { doneAt, started } = await waitUntilDrained(target, ids, run.startedAt, plan.waitSeconds, stormDone);
  const after = await snapshot(target.metrics);
  const startDelays = load.accepted
    .filter((answer) => started.has(answer.complaintId as string))
    .map((answer) => (started.get(answer.complaintId as string) as number) - answer.dueAt);
  const third = Math.max(1, Math.floor(backlog.length / 3));
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  const endToEnd: EndToEnd = {
    lifecyclesStarted: startDelays.length,
    lifecyclesMissing: ids.length - startDelays.length,
    postToLifecycleMs: distribution(startDelays),
    drainedAfterSeconds: doneAt ? round((doneAt - run.startedAt) / 1000) : -1,
    drainedAfterLastPostSeconds: doneAt ? round((doneAt - run.lastDueAt) / 1000) : -1,
    endToEndPerSecond: doneAt ? round(startDelays.length / ((doneAt - run.startedAt) / 1000)) : 0,
    backlogWhileLoaded: backlog,
    // Growing: the last third of the samples holds clearly more than the first third.
    backlogGrowing: backlog.length >= 3 && mean(backlog.slice(-third)) > 2 * mean(backlog.slice(0, third)) + 50,
  };

  let storm: StormFigures | undefined;
  if (plan.storm) {
    const firstDeadline = run.startedAt + plan.storm.firstReplySeconds * 1000;
    const lastDeadline = run.lastDueAt + plan.storm.firstReplySeconds * 1000;
    storm = {
      firstReplySeconds: plan.storm.firstReplySeconds,
      breachesRecorded: breaches(after) - breachesBefore,
      firstDeadlineAtSeconds: round((firstDeadline - run.startedAt) / 1000),
      lastDeadlineAtSeconds: round((lastDeadline - run.startedAt) / 1000),
      notificationsDoneAfterLastDeadlineSeconds: doneAt ? round((doneAt - lastDeadline) / 1000) : -1,
      notificationsDoneAfterFirstDeadlineSeconds: doneAt ? round((doneAt - firstDeadline) / 1000) : -1,
      breachNotificationsSent:
        total(after.notification ?? [], 'notification_deliveries_total', { status: 'sent' }) -
        total(before.notification ?? [], 'notification_deliveries_total', { status: 'sent' }),
    };
  }

  return {
    phase: plan.phase,
    offeredPerSecond: plan.ratePerSecond,
    requests: plan.requests,
    accepted: load.accepted.length,
    refused: load.refused,
    retriedAfterShedding: load.retriedAfterShedding,
    acceptedPerSecond: load.acceptedPerSecond,
    postLatencyMs: load.postLatencyMs,
    endToEnd,
    cost: costPerComplaint(before, after, load.accepted.length),
    ...(storm ? { storm } : {}),
    loadAverageBefore: run.loadAverageBefore.map((value) => round(value, 2)),
  };
}

/**
 * Sets the group's first-reply limit of every severity to `seconds`, so that the storm's
 * complaints all miss it within a minute of each other; the rest of the policy stays.
 */
export async function shortenFirstReply(target: BenchTarget, seconds: number): Promise<void> {
  const url = `${target.gatewayUrl}/v1/policies`;
  const headers = { authorization: `Bearer ${target.apiKey}`, 'content-type': 'application/json' };
  const current = await fetch(url, { headers });
  if (!current.ok) throw new Error(`GET /v1/policies answered ${current.status}: ${await current.text()}`);
  // The whole policy in force, with only the first-reply limits changed.
  const { effective } = (await current.json()) as {
    effective: { severities: Record<string, Record<string, unknown>> };
  };
  for (const severity of Object.values(effective.severities)) {
    severity.firstReply = { duration: `PT${seconds}S`, basis: 'calendar' };
  }
  const response = await fetch(url, { method: 'PUT', headers, body: JSON.stringify(effective) });
  if (!response.ok) throw new Error(`PUT /v1/policies answered ${response.status}: ${await response.text()}`);
}
