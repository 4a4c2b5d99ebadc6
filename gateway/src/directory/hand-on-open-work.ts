import { Injectable } from '@nestjs/common';
import { v1 } from '@complaints/contracts';
import { STATUSES } from '@complaints/domain';
import { IntakeClient, RoutingClient } from '../grpc/grpc-clients';

/** Work still to do: everything but closed, withdrawn and merged (a resolved one still needs its callback). */
const UNFINISHED = STATUSES.filter((status) => !['closed', 'withdrawn', 'merged'].includes(status));

export interface HandedOn {
  complaintId: string;
  number: string;
  /** Who has it now; null when nobody is on duty in the department the rules chose. */
  handler: { id: string; name: string } | null;
}

/**
 * The open work of a staff member or department that was deactivated, handed on by the routing
 * rules one complaint at a time (routing's reassignment with nobody named). Asked again (the
 * request retried after a failure), it finds only what is still with them.
 */
@Injectable()
export class HandOnOpenWork {
  constructor(
    private readonly intake: IntakeClient,
    private readonly routing: RoutingClient,
  ) {}

  async handOn(
    groupId: string,
    actor: v1.Actor,
    of: { staffIds?: readonly string[]; departmentIds?: readonly string[] },
    reason: string,
  ): Promise<HandedOn[]> {
    const handedOn: HandedOn[] = [];
    const lists = [
      ...(of.staffIds ?? []).map((staffId) => ({
        filter: { mineOf: staffId },
        keep: (c: v1.Complaint) => c.handlerId === staffId,
      })),
      ...(of.departmentIds ?? []).map((departmentId) => ({
        filter: { departmentIds: [departmentId] },
        keep: (c: v1.Complaint) => c.departmentId === departmentId,
      })),
    ];
    for (const { filter, keep } of lists) {
      for (const complaint of await this.unfinished(groupId, filter)) {
        if (!keep(complaint)) continue;
        const { decision } = await this.routing.call.reassign({
          groupId,
          complaintId: complaint.id,
          actor,
          reason,
          handlerId: '',
        });
        handedOn.push({
          complaintId: complaint.id,
          number: complaint.number,
          handler: decision?.handler?.id ? { id: decision.handler.id, name: decision.handler.name } : null,
        });
      }
    }
    return handedOn;
  }

  /** Every page first: reassigning changes what the filter matches. */
  private async unfinished(groupId: string, filter: Partial<v1.ListComplaintsRequest>): Promise<v1.Complaint[]> {
    const found: v1.Complaint[] = [];
    let cursor = '';
    do {
      const page = await this.intake.call.listComplaints(
        v1.ListComplaintsRequest.fromPartial({ groupId, statuses: UNFINISHED, limit: 200, cursor, ...filter }),
      );
      found.push(...page.complaints);
      cursor = page.nextCursor;
    } while (cursor);
    return found;
  }
}
