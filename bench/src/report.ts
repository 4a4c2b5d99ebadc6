import * as os from 'node:os';
import type { BenchConfig } from './config';
import type { PhaseResult } from './phases';
import { round } from './stats';

/** The raw engines of the same run, measured with the platform stopped. */
export interface EngineRates {
  store: {
    documents: number;
    insertPerSecond: number;
    findByIdPerSecond: number;
    updateByIdPerSecond: number;
    findByFieldPerSecond: number;
  };
  temporalStartsPerSecond: number;
  jetStreamPublishesPerSecond: number;
}

export interface BenchReport {
  date: string;
  store: string;
  preloaded: number;
  preloadSeconds: number;
  machine: { cpus: number; cpuModel: string; totalMemoryGiB: number; os: string; node: string };
  parameters: Omit<BenchConfig, 'engines'>;
  engines: EngineRates | null;
  phases: PhaseResult[];
  /** Platform figures as a share of the raw engine of the same run: noisy machines, steady ratios. */
  ratios: Record<string, number>;
}

export function buildReport(
  config: BenchConfig,
  store: string,
  preload: { complaints: number; seconds: number },
  engines: EngineRates | null,
  phases: PhaseResult[],
): BenchReport {
  const ratios: Record<string, number> = {};
  if (engines) {
    for (const phase of phases) {
      ratios[`${phase.phase}: accepted/s ÷ store inserts/s`] = round(
        phase.acceptedPerSecond / engines.store.insertPerSecond,
        4,
      );
      if (phase.endToEnd && phase.endToEnd.endToEndPerSecond > 0) {
        ratios[`${phase.phase}: end-to-end/s ÷ Temporal starts/s`] = round(
          phase.endToEnd.endToEndPerSecond / engines.temporalStartsPerSecond,
          4,
        );
      }
    }
  }
  const { engines: _measured, ...parameters } = config;
  return {
    date: new Date().toISOString(),
    store,
    preloaded: preload.complaints,
    preloadSeconds: preload.seconds,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
      totalMemoryGiB: round(os.totalmem() / 2 ** 30),
      os: `${os.type()} ${os.release()}`,
      node: process.version,
    },
    parameters,
    engines,
    phases,
    ratios,
  };
}

function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...cells.slice(1).map(line)].join('\n');
}

/** Markdown tables, ready for docs/development.md. */
export function formatTables(report: BenchReport): string {
  const out: string[] = [
    `store ${report.store}, ${report.preloaded} complaints preloaded, ${report.machine.cpus} cores (${report.machine.cpuModel}), ${report.date}`,
    '',
  ];
  if (report.engines) {
    const e = report.engines;
    out.push(
      table(
        ['raw engine (same run)', 'per second'],
        [
          [`store insert (${e.store.documents} docs)`, e.store.insertPerSecond],
          ['store find by _id', e.store.findByIdPerSecond],
          ['store update by _id', e.store.updateByIdPerSecond],
          ['store find by another field', e.store.findByFieldPerSecond],
          ['Temporal workflow starts', e.temporalStartsPerSecond],
          ['JetStream publishes', e.jetStreamPublishesPerSecond],
        ],
      ),
      '',
    );
  }
  out.push(
    table(
      [
        'phase',
        'offered/s',
        'accepted',
        'refused',
        'accepted/s',
        'POST p50/p99 ms',
        'POST→lifecycle p50/p99 ms',
        'drained after last POST s',
        'end-to-end/s',
        'backlog growing',
      ],
      report.phases.map((p) => [
        p.phase,
        p.offeredPerSecond,
        `${p.accepted}/${p.requests}`,
        Object.entries(p.refused)
          .map(([status, n]) => `${status}×${n}`)
          .join(' ') || '0',
        p.acceptedPerSecond,
        `${p.postLatencyMs.p50}/${p.postLatencyMs.p99}`,
        p.endToEnd ? `${p.endToEnd.postToLifecycleMs.p50}/${p.endToEnd.postToLifecycleMs.p99}` : '–',
        p.endToEnd ? p.endToEnd.drainedAfterLastPostSeconds : '–',
        p.endToEnd ? p.endToEnd.endToEndPerSecond : '–',
        p.endToEnd ? (p.endToEnd.backlogGrowing ? 'yes' : 'no') : '–',
      ]),
    ),
    '',
    table(
      ['per complaint', ...report.phases.map((p) => p.phase)],
      [
        ['store round trips', ...report.phases.map((p) => p.cost.storeRoundTrips)],
        [
          '  of them POST → lifecycle (gateway, intake, routing, escalation)',
          ...report.phases.map((p) => p.cost.storeRoundTripsToLifecycle),
        ],
        ['NATS publishes', ...report.phases.map((p) => p.cost.natsPublishes)],
        ['workflow starts', ...report.phases.map((p) => p.cost.workflowStarts)],
        ['activities', ...report.phases.map((p) => p.cost.activities)],
        ['notifications sent', ...report.phases.map((p) => p.cost.notificationsSent)],
        ['CPU seconds (all processes)', ...report.phases.map((p) => p.cost.cpuSeconds)],
        ...[...new Set(report.phases.flatMap((p) => Object.keys(p.cost.cpuSecondsByProcess)))].map((process) => [
          `  CPU s ${process}`,
          ...report.phases.map((p) => p.cost.cpuSecondsByProcess[process] ?? 0),
        ]),
        // The servers have no store of their own to count.
        ...[...new Set(report.phases.flatMap((p) => Object.keys(p.cost.storeRoundTripsByProcess)))]
          .filter((process) => !process.startsWith('server '))
          .map((process) => [
            `  store ${process}`,
            ...report.phases.map((p) => p.cost.storeRoundTripsByProcess[process] ?? 0),
          ]),
      ],
    ),
  );
  const collections = [...new Set(report.phases.flatMap((p) => Object.keys(p.cost.storeRoundTripsByCollection)))];
  out.push(
    '',
    table(
      ['store round trips per complaint by command', ...report.phases.map((p) => p.phase)],
      collections.map((key) => [key, ...report.phases.map((p) => p.cost.storeRoundTripsByCollection[key] ?? 0)]),
    ),
  );
  const storm = report.phases.find((p) => p.storm)?.storm;
  if (storm) {
    out.push(
      '',
      table(
        ['breach storm', 'value'],
        [
          ['first-reply limit s', storm.firstReplySeconds],
          ['breaches recorded', storm.breachesRecorded],
          [
            'deadlines passed between (s after first POST)',
            `${storm.firstDeadlineAtSeconds}–${storm.lastDeadlineAtSeconds}`,
          ],
          ['all sent, s after the last deadline', storm.notificationsDoneAfterLastDeadlineSeconds],
          ['all sent, s after the first deadline', storm.notificationsDoneAfterFirstDeadlineSeconds],
          ['notifications sent', storm.breachNotificationsSent],
        ],
      ),
    );
  }
  if (Object.keys(report.ratios).length > 0) {
    out.push(
      '',
      table(
        ['ratio', 'value'],
        Object.entries(report.ratios).map(([name, value]) => [name, value]),
      ),
    );
  }
  return out.join('\n');
}
