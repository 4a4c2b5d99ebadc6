import { Injectable } from '@nestjs/common';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import type { Severity } from '@complaints/domain';
import {
  handlerSignal,
  mergeSignal,
  moveSignal,
  severitySignal,
  unmergeSignal,
  withdrawSignal,
  type Move,
} from '../messages';
import { lifecycleWorkflowId, type StaffRef } from '../types';

/** What other services did to a complaint, passed on to its running lifecycle. */
@Injectable()
export class SignalLifecycle {
  constructor(private readonly client: Client) {}

  withdraw(complaintId: string, reason: string) {
    return this.send(complaintId, (handle) => handle.signal(withdrawSignal, { reason }));
  }

  merge(complaintId: string, intoComplaintId: string) {
    return this.send(complaintId, (handle) => handle.signal(mergeSignal, { intoComplaintId }));
  }

  unmerge(complaintId: string, change: { actor: StaffRef | null; reason: string }) {
    return this.send(complaintId, (handle) => handle.signal(unmergeSignal, change));
  }

  changeSeverity(complaintId: string, change: { severity: Severity; actor: StaffRef | null; reason: string }) {
    return this.send(complaintId, (handle) => handle.signal(severitySignal, change));
  }

  changeHandler(complaintId: string, handler: StaffRef) {
    return this.send(complaintId, (handle) => handle.signal(handlerSignal, { handler }));
  }

  move(complaintId: string, move: Move) {
    return this.send(complaintId, (handle) => handle.signal(moveSignal, move));
  }

  /** A lifecycle that never started (answered at first contact) or already ended needs nothing. */
  private async send(
    complaintId: string,
    signal: (handle: ReturnType<Client['workflow']['getHandle']>) => Promise<void>,
  ): Promise<'signalled' | 'no-lifecycle'> {
    try {
      await signal(this.client.workflow.getHandle(lifecycleWorkflowId(complaintId)));
      return 'signalled';
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return 'no-lifecycle';
      throw error;
    }
  }
}
