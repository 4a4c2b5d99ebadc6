import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { EventBus, payloadOf } from '@complaints/messaging';
import { TimelineRepository } from '../timeline/timeline.repository';
import { timelineEntryFor } from '../timeline/timeline-entries';
import { ComplaintsRepository } from './complaints.repository';

/**
 * Keeps the complaint record and its timeline up to date with what the other services did
 * (durable consumer `intake`). Intake's own events come by too: their timeline entries are
 * normally written already, and the sourceId makes a second write a no-op.
 */
@Injectable()
export class ComplaintEventsConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly bus: EventBus,
    private readonly complaints: ComplaintsRepository,
    private readonly timeline: TimelineRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.consume({ name: 'intake', types: 'all' }, async (event) => {
      // Events of complaints this database does not hold (another deployment's) are not ours.
      if (!(await this.complaints.findById(event.groupId, event.complaintId))) return;
      // The timeline first: whoever sees the new status must also find the entry explaining it.
      const entry = timelineEntryFor(event);
      if (entry) await this.timeline.append(event.groupId, event.complaintId, entry);
      const routed = payloadOf(event, 'routed');
      if (routed) {
        await this.complaints.applyRouting(event.groupId, event.complaintId, {
          category: routed.category,
          severity: routed.severity,
          department: routed.department,
        });
      }
      const reclassified = payloadOf(event, 'reclassified');
      if (reclassified) {
        await this.complaints.applyRouting(event.groupId, event.complaintId, {
          category: reclassified.category,
          severity: reclassified.severity,
          department: reclassified.department,
        });
      }
      if (payloadOf(event, 'merged')) await this.complaints.markMerged(event.groupId, event.complaintId);
      // Handled on its own again; its lifecycle's next event says where exactly it stands.
      if (payloadOf(event, 'unmerged')) {
        const at = new Date(event.occurredAt);
        await this.complaints.applyLifecycleStatus(event.groupId, event.complaintId, 'assigned', at);
      }
      if (payloadOf(event, 'deadline_breached')) await this.complaints.markOverdue(event.groupId, event.complaintId);
      if (event.lifecycle?.status) {
        const at = new Date(event.occurredAt);
        await this.complaints.applyLifecycleStatus(event.groupId, event.complaintId, event.lifecycle.status, at);
      }
    });
  }
}
