import * as fs from 'node:fs';

/**
 * What the platform's own processes say on `/metrics` (Prometheus text): the bench takes a
 * snapshot before and after a phase and divides the difference by the complaints of the phase.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** One process's samples. */
export type Scrape = Sample[];

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parsePrometheusText(text: string): Scrape {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const match = LINE.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(LABEL)) labels[key] = value.replace(/\\(.)/g, '$1');
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

export async function scrape(url: string): Promise<Scrape> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) }).catch((error: unknown) => {
    // A process that stopped answering is a finding: say which.
    throw new Error(`${url}: ${String(error)} (did the process die? see its log under .data/bench/run/logs)`);
  });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return parsePrometheusText(await response.text());
}

/** The sum of a metric's series whose labels include `where`. */
export function total(samples: Scrape, name: string, where: Record<string, string> = {}): number {
  return samples
    .filter((sample) => sample.name === name && Object.entries(where).every(([k, v]) => sample.labels[k] === v))
    .reduce((sum, sample) => sum + sample.value, 0);
}

/** Every process of the platform, by name, and where its metrics are. */
export type MetricsEndpoints = Record<string, string>;

export type Snapshot = Record<string, Scrape>;

export async function snapshot(endpoints: MetricsEndpoints): Promise<Snapshot> {
  const entries = await Promise.all(
    Object.entries(endpoints).map(async ([process, url]) => [process, await scrape(url)] as const),
  );
  return { ...Object.fromEntries(entries), ...serverCpu() };
}

/** The servers' processes by their command name (PostgreSQL's backends are all `postgres`). */
const SERVERS = ['ferretdb', 'postgres', 'temporal', 'nats-server'];
/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const TICKS = 100;

/**
 * CPU seconds each server used so far, read from /proc, as if it had a `/metrics` of its own:
 * the store, Temporal and NATS use the same two cores as the services, so what one complaint
 * costs there counts too. A process's times include its children that ended, so PostgreSQL
 * backends that came and went are counted by their postmaster. Empty where there is no /proc.
 */
function serverCpu(): Snapshot {
  const seconds: Record<string, number> = {};
  let pids: string[] = [];
  try {
    pids = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return {};
  }
  for (const pid of pids) {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    if (!SERVERS.includes(comm)) continue;
    // Fields after the command: state is field 3; utime, stime, cutime, cstime are 14–17.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
    seconds[comm] = (seconds[comm] ?? 0) + ticks / TICKS;
  }
  return Object.fromEntries(
    Object.entries(seconds).map(([comm, value]) => [
      `server ${comm}`,
      [{ name: 'process_cpu_seconds_total', labels: {}, value }],
    ]),
  );
}

/** What one complaint cost, counted by the services themselves. */
export interface CostPerComplaint {
  storeRoundTrips: number;
  /**
   * Those of the processes between the POST and the lifecycle's first timer (gateway, intake,
   * routing, escalation): the hot path. Notification and reporting work beside it.
   */
  storeRoundTripsToLifecycle: number;
  /** Store round trips by process. */
  storeRoundTripsByProcess: Record<string, number>;
  /** The collections and commands behind them, across processes (top 25). */
  storeRoundTripsByCollection: Record<string, number>;
  natsPublishes: number;
  workflowStarts: number;
  activities: number;
  notificationsSent: number;
  cpuSecondsByProcess: Record<string, number>;
  cpuSeconds: number;
}

const round = (value: number, digits = 3): number => Number(value.toFixed(digits));

/** The processes a complaint passes through from its POST to its lifecycle's first timer. */
const HOT_PATH = ['gateway', 'intake', 'routing', 'escalation'];

export function costPerComplaint(before: Snapshot, after: Snapshot, complaints: number): CostPerComplaint {
  const per = (value: number) => (complaints > 0 ? round(value / complaints) : 0);
  const delta = (process: string, name: string, where?: Record<string, string>) =>
    total(after[process] ?? [], name, where) - total(before[process] ?? [], name, where);
  const processes = Object.keys(after);
  const sumOver = (name: string, where?: Record<string, string>) =>
    processes.reduce((sum, process) => sum + delta(process, name, where), 0);

  const byCollection = new Map<string, number>();
  for (const process of processes) {
    for (const sample of after[process].filter((s) => s.name === 'store_commands_total')) {
      const earlier = (before[process] ?? []).find(
        (s) =>
          s.name === sample.name &&
          s.labels.command === sample.labels.command &&
          s.labels.collection === sample.labels.collection,
      );
      const key = `${process} ${sample.labels.command} ${sample.labels.collection}`;
      byCollection.set(key, (byCollection.get(key) ?? 0) + sample.value - (earlier?.value ?? 0));
    }
  }
  const top = [...byCollection.entries()]
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25);

  return {
    storeRoundTrips: per(sumOver('store_commands_total')),
    storeRoundTripsToLifecycle: per(HOT_PATH.reduce((sum, process) => sum + delta(process, 'store_commands_total'), 0)),
    storeRoundTripsByProcess: Object.fromEntries(
      processes.map((process) => [process, per(delta(process, 'store_commands_total'))]),
    ),
    storeRoundTripsByCollection: Object.fromEntries(top.map(([key, count]) => [key, per(count)])),
    natsPublishes: per(sumOver('events_published_total')),
    workflowStarts: per(sumOver('workflow_starts_total', { result: 'started' })),
    activities: per(sumOver('temporal_activities_total')),
    notificationsSent: per(sumOver('notification_deliveries_total', { status: 'sent' })),
    cpuSecondsByProcess: Object.fromEntries(
      processes.map((process) => [process, per(delta(process, 'process_cpu_seconds_total'))]),
    ),
    cpuSeconds: per(sumOver('process_cpu_seconds_total')),
  };
}

/** Events each durable consumer has not finished yet (pending + delivered but unacknowledged). */
export function consumerBacklog(snap: Snapshot): Record<string, number> {
  const backlog: Record<string, number> = {};
  for (const samples of Object.values(snap)) {
    for (const sample of samples.filter((s) => s.name === 'consumer_pending_messages')) {
      const consumer = sample.labels.consumer;
      backlog[consumer] = (backlog[consumer] ?? 0) + sample.value;
    }
  }
  return backlog;
}
