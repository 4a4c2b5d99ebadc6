import type { CorrectiveActionRecords } from './corrective-action-records';

/** The corrective action timer's one activity: idempotent (a retry finds it marked already). */
export function createCorrectiveActivities(deps: { records: Pick<CorrectiveActionRecords, 'markOverdue'> }) {
  return {
    async markCorrectiveActionOverdue(input: { groupId: string; id: string }): Promise<void> {
      await deps.records.markOverdue(input.id, new Date());
    },
  };
}
