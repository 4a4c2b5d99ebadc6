export interface OverdueMark {
  groupId: string;
  workOrderId: string;
  stage: 'arrival' | 'completion';
}

/** gRPC's NOT_FOUND: the work order was never stored (its raise failed after the timer started). */
const NOT_FOUND = 5;

/** The activities get intake's call injected, so tests can run them against a real intake or record calls. */
export function createWorkOrderActivities(deps: { markOverdue(mark: OverdueMark): Promise<unknown> }) {
  return {
    async markWorkOrderOverdue(mark: OverdueMark): Promise<'marked' | 'gone'> {
      try {
        await deps.markOverdue(mark);
        return 'marked';
      } catch (error) {
        if ((error as { code?: unknown }).code === NOT_FOUND) return 'gone';
        throw error;
      }
    },
  };
}
