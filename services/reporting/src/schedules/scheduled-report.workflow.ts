import { patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { ReportActivities, ScheduledReportInput } from './report.activities';

const { planScheduledReports, produceStoredReports, handOverReports, produceStoredReport } =
  proxyActivities<ReportActivities>({
    startToCloseTimeout: '10 minutes',
    // A database, directory or notification outage must not lose Monday's reports: retry for about a day.
    retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes', maximumAttempts: 60 },
  });

/** Set by the schedule: the nominal time of this run, also for catch-up and backfilled runs. */
const SCHEDULED_START = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

/**
 * Scopes per activity: a group of thousands of properties makes a few hundred activities (its
 * history stays far from Temporal's limits), and a failure repeats one batch, not the run.
 */
export const SCOPES_PER_BATCH = 25;

/**
 * Started by the group's weekly or monthly schedule: stores the report of the period just ended
 * for the group, each region and each property, then hands each to notification, which mails it
 * to the heads of its scope. Every report is stored before any is handed over, so an outage of
 * notification holds up the mails, not the reports.
 */
export async function scheduledReportWorkflow(input: ScheduledReportInput): Promise<string> {
  const at = (workflowInfo().typedSearchAttributes.get(SCHEDULED_START) ?? new Date()).toISOString();
  // Runs started before the reports were per scope and mailed go on as they began.
  if (!patched('reports-per-scope-mailed')) return produceStoredReport({ ...input, at });
  const { key, scopes } = await planScheduledReports({ ...input, at });
  const batches: string[][] = [];
  for (let start = 0; start < scopes.length; start += SCOPES_PER_BATCH) {
    batches.push(scopes.slice(start, start + SCOPES_PER_BATCH));
  }
  for (const batch of batches) await produceStoredReports({ ...input, key, scopes: batch });
  for (const batch of batches) await handOverReports({ ...input, key, scopes: batch });
  return key;
}
