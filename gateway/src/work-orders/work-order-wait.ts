import { Injectable, Logger } from '@nestjs/common';
import type { v1 } from '@complaints/contracts';
import { DomainError } from '@complaints/service-kit';
import type { Caller } from '../auth/caller';
import { EscalationClient } from '../grpc/grpc-clients';

/** Where a complaint is worked on, so it may wait (the same as await_outside_body). */
const WORKING = ['acknowledged', 'investigating', 'plan_proposed', 'plan_approved'];

/**
 * A complaint waiting on a work order raised from it: its deadlines pause (action
 * await_work_order) when the work order is raised, and resume when it is completed. Staff act as
 * themselves; a key acts as the complaint's handler, the one answerable for its deadlines.
 */
@Injectable()
export class WorkOrderWait {
  private readonly logger = new Logger(WorkOrderWait.name);

  constructor(private readonly escalation: EscalationClient) {}

  /** Refuses before anything is raised when the complaint cannot wait now. */
  async check(caller: Caller, complaint: v1.Complaint): Promise<void> {
    const lifecycle = await this.escalation.call.getLifecycle({ groupId: caller.groupId, complaintId: complaint.id });
    if (!WORKING.includes(lifecycle.status)) {
      throw new DomainError(
        'failed_precondition',
        `complaint ${complaint.number} is ${lifecycle.status || 'not routed yet'}: it waits on a work order only while it is worked on (acknowledged, investigating or with a plan)`,
      );
    }
    this.actorOf(caller, lifecycle);
  }

  async start(caller: Caller, complaint: v1.Complaint, order: v1.WorkOrder): Promise<void> {
    const lifecycle = await this.escalation.call.getLifecycle({ groupId: caller.groupId, complaintId: complaint.id });
    await this.escalation.call.act({
      groupId: caller.groupId,
      complaintId: complaint.id,
      staffId: this.actorOf(caller, lifecycle),
      action: 'await_work_order',
      paramsJson: JSON.stringify({ workOrderId: order.id, number: order.number }),
      ...(caller.kind === 'partner' ? { viaKeyId: caller.keyId, viaKeyName: caller.keyName } : {}),
    });
  }

  /**
   * The work order is completed: a complaint still waiting on it goes back to work. The work order
   * stays completed if this fails; the complaint then shows it waits on a completed work order,
   * and staff resume it by hand.
   */
  async end(caller: Caller, order: v1.WorkOrder): Promise<void> {
    if (!order.complaintId || !order.complaintWaits) return;
    try {
      const lifecycle = await this.escalation.call.getLifecycle({
        groupId: caller.groupId,
        complaintId: order.complaintId,
      });
      const waitingOn = (JSON.parse(lifecycle.detailsJson || '{}') as { waitingOn?: { workOrderId?: string } | null })
        .waitingOn;
      if (lifecycle.status !== 'awaiting_work_order' || waitingOn?.workOrderId !== order.id) return;
      await this.escalation.call.act({
        groupId: caller.groupId,
        complaintId: order.complaintId,
        staffId: this.actorOf(caller, lifecycle),
        action: 'resume',
        paramsJson: JSON.stringify({ note: `work order ${order.number} completed` }),
        ...(caller.kind === 'partner' ? { viaKeyId: caller.keyId, viaKeyName: caller.keyName } : {}),
      });
    } catch (error) {
      this.logger.warn(`complaint ${order.complaintId} still waits on completed ${order.number}: ${String(error)}`);
    }
  }

  private actorOf(caller: Caller, lifecycle: v1.GetLifecycleResponse): string {
    if (caller.kind === 'staff') return caller.staffId;
    if (!lifecycle.handler?.id) {
      throw new DomainError('failed_precondition', 'the complaint has no handler to wait on the work order for');
    }
    return lifecycle.handler.id;
  }
}
