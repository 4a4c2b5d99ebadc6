// The workflow bundle's entry: every workflow the reporting worker runs.
export { scheduledReportWorkflow } from './schedules/scheduled-report.workflow';
