import { ApplicationFailure } from '@temporalio/common';
import type { v1 } from '@complaints/contracts';
import type { PeriodKind } from '@complaints/domain';
import type { ScopeKey } from '../figures/build-report';
import { dayKey, periodOf, previousPeriodKey } from '../periods/periods';
import type { ReportQueries } from '../reports/report-queries';
import type { ReportSettingsRepository } from '../settings/report-settings.repository';
import { storedReportId, type StoredReportsRepository } from './stored-reports.repository';

export interface ScheduledReportInput {
  groupId: string;
  kind: 'week' | 'month';
}

/** One batch of a run's scopes: what one activity produces or hands over. */
export interface ScopeBatch {
  groupId: string;
  kind: PeriodKind;
  key: string;
  scopes: ScopeKey[];
}

export interface ReportActivityDeps {
  queries: Pick<ReportQueries, 'scheduled'>;
  settings: Pick<ReportSettingsRepository, 'get'>;
  stored: Pick<StoredReportsRepository, 'store' | 'infos'>;
  directory: { directory(groupId: string): Promise<v1.ListDirectoryResponse> };
  notification: { deliverReport(request: v1.DeliverReportRequest): Promise<v1.DeliverReportResponse> };
}

/** The scopes the directory has: the group, then each region, then each property. */
export function directoryScopes(directory: Pick<v1.ListDirectoryResponse, 'regions' | 'properties'>): ScopeKey[] {
  const ids = (items: { id: string }[]) => items.map((item) => item.id).sort();
  return [
    'group',
    ...ids(directory.regions).map((id) => `region:${id}`),
    ...ids(directory.properties).map((id) => `property:${id}`),
  ];
}

function scopeName(directory: v1.ListDirectoryResponse, scope: ScopeKey): string {
  const [kind, id] = scope.split(':');
  if (kind === 'region') return directory.regions.find((region) => region.id === id)?.name ?? id;
  if (kind === 'property') return directory.properties.find((property) => property.id === id)?.name ?? id;
  return '';
}

export function createReportActivities(deps: ReportActivityDeps) {
  return {
    /**
     * What a run produces: the period before `at` and every scope of the directory. A scope
     * that is not in the directory (a property removed) gets no report; one without
     * complaints gets its empty report, which says so.
     */
    async planScheduledReports(
      input: ScheduledReportInput & { at: string },
    ): Promise<{ key: string; scopes: string[] }> {
      const { timeZone } = await deps.settings.get(input.groupId);
      const key = previousPeriodKey(input.kind, new Date(input.at), timeZone);
      return { key, scopes: directoryScopes(await deps.directory.directory(input.groupId)) };
    },

    /**
     * Each scope's report of the batch in both formats, stored (replacing one produced before
     * for the same period). The period's figures are built once for all scopes (by the first
     * read); each scope then costs key lookups: the rollup, and one write.
     */
    async produceStoredReports(batch: ScopeBatch): Promise<string[]> {
      const { language } = await deps.settings.get(batch.groupId);
      const directory = await deps.directory.directory(batch.groupId);
      const ids: string[] = [];
      for (const scope of batch.scopes) {
        const { xlsx, csv } = await deps.queries.scheduled(
          { groupId: batch.groupId, kind: batch.kind, key: batch.key, scope },
          language,
        );
        ids.push(
          await deps.stored.store({
            groupId: batch.groupId,
            kind: batch.kind,
            key: batch.key,
            scope,
            scopeName: scopeName(directory, scope),
            language,
            generatedAt: new Date(),
            xlsx: xlsx.content,
            csv: csv.content,
          }),
        );
      }
      return ids;
    },

    /**
     * Tells notification each stored report of the batch is there to mail. Done again (a retry,
     * a restart), notification sends nobody a report twice: its deliveries are one per report
     * and recipient.
     */
    async handOverReports(batch: ScopeBatch): Promise<number> {
      const { timeZone } = await deps.settings.get(batch.groupId);
      const { start, end } = periodOf(batch.kind, batch.key, timeZone);
      const ids = batch.scopes.map((scope) => storedReportId(batch.groupId, batch.kind, batch.key, scope));
      const reports = await deps.stored.infos(ids);
      if (reports.length !== ids.length) {
        throw ApplicationFailure.nonRetryable(`${ids.length - reports.length} reports of the batch are not stored`);
      }
      let deliveries = 0;
      for (const report of reports) {
        const answer = await deps.notification.deliverReport({
          groupId: batch.groupId,
          reportId: report._id,
          periodKind: report.kind,
          periodKey: report.key,
          scope: report.scope,
          scopeName: report.scopeName ?? '',
          language: report.language ?? 'zh-CN',
          firstDay: dayKey(start, timeZone),
          lastDay: dayKey(new Date(end.getTime() - 1), timeZone),
        });
        deliveries += answer.deliveries.length;
      }
      return deliveries;
    },

    /**
     * The group-wide report of the period before `at`, stored; returns its key. What runs
     * started before reports were produced per scope still ask for (workflow.ts `patched`).
     */
    async produceStoredReport(input: ScheduledReportInput & { at: string }): Promise<string> {
      const { timeZone, language } = await deps.settings.get(input.groupId);
      const key = previousPeriodKey(input.kind, new Date(input.at), timeZone);
      const { xlsx, csv } = await deps.queries.scheduled(
        { groupId: input.groupId, kind: input.kind, key, scope: 'group' },
        language,
      );
      await deps.stored.store({
        groupId: input.groupId,
        kind: input.kind,
        key,
        scope: 'group',
        scopeName: '',
        language,
        generatedAt: new Date(),
        xlsx: xlsx.content,
        csv: csv.content,
      });
      return key;
    },
  };
}

export type ReportActivities = ReturnType<typeof createReportActivities>;
