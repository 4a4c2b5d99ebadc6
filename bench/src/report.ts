import * as os from 'node:os';
import type { BenchConfig } from './config';
import type { LoadResult } from './load';
import type { WorkflowStarts } from './workflows';

/** Nearest-rank percentile: a value that was actually measured; null when there is none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

const round = (value: number | null, digits = 1): number | null =>
  value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits;

export interface BenchReport {
  date: string;
  target: string;
  parameters: { rate_per_second: number; duration_seconds: number; connections: number };
  machine: {
    cpus: number;
    cpu_model: string;
    total_memory_gib: number;
    os: string;
    node: string;
    load_average_before: number[];
  };
  sent: number;
  accepted: number;
  rejected_by_status: Record<string, number>;
  /** Sent but never answered: connection errors, timeouts, and requests cut off when the time was up. */
  no_answer: number;
  errors: number;
  timeouts: number;
  load_seconds: number;
  accepted_per_second: number;
  /** Of the accepted (2xx) requests, client side. */
  post_latency_ms: { p50: number | null; p95: number | null; p99: number | null; max: number | null };
  post_to_workflow_started_ms: { p50: number | null; p99: number | null; max: number | null; not_started: number };
}

export function buildReport(
  config: BenchConfig,
  target: string,
  load: LoadResult,
  starts: WorkflowStarts,
): BenchReport {
  const latencies = load.accepted.map((complaint) => complaint.latencyMs);
  const rejected = Object.values(load.rejectedByStatus).reduce((sum, count) => sum + count, 0);
  const loadSeconds = (load.finishedAt.getTime() - load.startedAt.getTime()) / 1000;
  return {
    date: load.startedAt.toISOString(),
    target,
    parameters: {
      rate_per_second: config.ratePerSecond,
      duration_seconds: config.durationSeconds,
      connections: load.connections,
    },
    machine: {
      cpus: os.cpus().length,
      cpu_model: os.cpus()[0]?.model.trim() ?? 'unknown',
      total_memory_gib: round(os.totalmem() / 2 ** 30) ?? 0,
      os: `${os.type()} ${os.release()}`,
      node: process.version,
      load_average_before: load.loadAverageBefore.map((value) => round(value, 2) ?? 0),
    },
    sent: load.sent,
    accepted: load.accepted.length,
    rejected_by_status: load.rejectedByStatus,
    no_answer: load.sent - load.accepted.length - rejected,
    errors: load.errors,
    timeouts: load.timeouts,
    load_seconds: round(loadSeconds, 2) ?? 0,
    accepted_per_second: round(load.accepted.length / loadSeconds, 2) ?? 0,
    post_latency_ms: {
      p50: round(percentile(latencies, 50)),
      p95: round(percentile(latencies, 95)),
      p99: round(percentile(latencies, 99)),
      max: round(percentile(latencies, 100)),
    },
    post_to_workflow_started_ms: {
      p50: round(percentile(starts.delaysMs, 50)),
      p99: round(percentile(starts.delaysMs, 99)),
      max: round(percentile(starts.delaysMs, 100)),
      not_started: starts.notStarted.length,
    },
  };
}

/** The few figures that matter, aligned, for the terminal and the README. */
export function formatTable(report: BenchReport): string {
  const ms = (value: number | null): string => (value === null ? '-' : `${Math.round(value)} ms`);
  const rejected = Object.entries(report.rejected_by_status)
    .map(([status, count]) => `${count} × ${status}`)
    .join(', ');
  const { parameters: p, machine: m, post_latency_ms: post, post_to_workflow_started_ms: wf } = report;
  const rows: [string, string][] = [
    ['target rate', `${p.rate_per_second}/s for ${p.duration_seconds} s, ${p.connections} connections`],
    ['machine', `${m.cpus} cores, ${m.total_memory_gib} GiB, Node ${m.node}, load ${m.load_average_before[0]} before`],
    ['sent', String(report.sent)],
    ['accepted', `${report.accepted} (${report.accepted_per_second}/s)`],
    ['rejected', rejected || 'none'],
    ['no answer', String(report.no_answer)],
    ['POST latency', `p50 ${ms(post.p50)}, p95 ${ms(post.p95)}, p99 ${ms(post.p99)}, max ${ms(post.max)}`],
    ['POST → workflow started', `p50 ${ms(wf.p50)}, p99 ${ms(wf.p99)}, max ${ms(wf.max)}`],
    ['workflows not started', String(wf.not_started)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
}
