import { previousPeriodKey } from '../periods/periods';
import type { ReportQueries } from '../reports/report-queries';
import type { ReportSettingsRepository } from '../settings/report-settings.repository';
import type { StoredReportsRepository } from './stored-reports.repository';

export interface ScheduledReportInput {
  groupId: string;
  kind: 'week' | 'month';
}

export interface ReportActivityDeps {
  queries: ReportQueries;
  settings: ReportSettingsRepository;
  stored: StoredReportsRepository;
}

export function createReportActivities(deps: ReportActivityDeps) {
  return {
    /** The group-wide report of the period before `at`, in both formats, stored; returns its key. */
    async produceStoredReport(input: ScheduledReportInput & { at: string }): Promise<string> {
      const { timeZone } = await deps.settings.get(input.groupId);
      const key = previousPeriodKey(input.kind, new Date(input.at), timeZone);
      const request = { groupId: input.groupId, kind: input.kind, key, scope: 'group', language: 'zh-CN' };
      const [xlsx, csv] = await Promise.all([
        deps.queries.export({ ...request, format: 'xlsx' }),
        deps.queries.export({ ...request, format: 'csv' }),
      ]);
      await deps.stored.store({
        groupId: input.groupId,
        kind: input.kind,
        key,
        generatedAt: new Date(),
        xlsx: xlsx.content,
        csv: csv.content,
      });
      return key;
    },
  };
}

export type ReportActivities = ReturnType<typeof createReportActivities>;
