import { Inject, Injectable } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { v1 } from '@complaints/contracts';
import { payloadOf } from '@complaints/messaging';
import { NotificationConfig } from '../config';
import { NOTIFICATION_TASK_QUEUE } from '../deliveries/dispatch-delivery';
import { entryFactsOf } from './handover-notices';
import {
  handoverCorrected,
  handoverReminderWorkflow,
  handoverReminderWorkflowId,
  handoverSigned,
} from './handover-reminder.workflow';

/**
 * Follows each handover entry's reminder workflow from the handover events: started by the
 * entry's first write, moved by a correction, ended by the signature. Events of one entry arrive
 * in order (they share its key), so the signature never overtakes the start; a redelivered first
 * write of an entry whose workflow has ended starts nothing (REJECT_DUPLICATE).
 */
@Injectable()
export class HandoverReminders {
  constructor(
    private readonly client: Client,
    @Inject(NOTIFICATION_TASK_QUEUE) private readonly taskQueue: string,
    private readonly config: NotificationConfig,
  ) {}

  async follow(event: v1.EventEnvelope): Promise<void> {
    const facts = entryFactsOf(event);
    if (facts && !payloadOf(event, 'handover_written')?.corrected) {
      try {
        await this.client.workflow.start(handoverReminderWorkflow, {
          taskQueue: this.taskQueue,
          workflowId: handoverReminderWorkflowId(facts.entryId),
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          args: [{ entry: facts, writtenAt: event.occurredAt, hours: this.config.handoverReminderHours }],
        });
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      }
      return;
    }
    if (facts) return this.signal(facts.entryId, (handle) => handle.signal(handoverCorrected, facts));
    const signed = payloadOf(event, 'handover_signed');
    if (signed) return this.signal(signed.entryId, (handle) => handle.signal(handoverSigned));
  }

  private async signal(
    entryId: string,
    send: (handle: ReturnType<Client['workflow']['getHandle']>) => Promise<void>,
  ): Promise<void> {
    try {
      await send(this.client.workflow.getHandle(handoverReminderWorkflowId(entryId)));
    } catch (error) {
      // Its reminder was sent already (or it never had one): nothing left to move or end.
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }
}
