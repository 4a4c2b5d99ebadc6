import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { ReportActivities, ScheduledReportInput } from './report.activities';

const { produceStoredReport } = proxyActivities<ReportActivities>({
  startToCloseTimeout: '10 minutes',
  // A database or directory outage must not lose Monday's report: retry for about a day.
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes', maximumAttempts: 60 },
});

/** Set by the schedule: the nominal time of this run, also for catch-up and backfilled runs. */
const SCHEDULED_START = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

/** Started by the group's weekly or monthly schedule: stores the report of the period just ended. */
export async function scheduledReportWorkflow(input: ScheduledReportInput): Promise<string> {
  const at = workflowInfo().typedSearchAttributes.get(SCHEDULED_START) ?? new Date();
  return produceStoredReport({ ...input, at: at.toISOString() });
}
