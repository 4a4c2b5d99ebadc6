import { Injectable } from '@nestjs/common';
import type { v1 } from '@complaints/contracts';
import { DeliverNow } from '../deliveries/deliver-now';
import { WorkOrderNotices } from './work-order-notices';

/**
 * What a repair work order's step leads to: its assignee's or its supervisors' messages, sent at
 * once like any event's. No case, no complainant (a work order raised from a complaint tells the
 * complainant through the complaint's own events), and no partner webhook.
 */
@Injectable()
export class WorkOrderEventsHandler {
  constructor(
    private readonly notices: WorkOrderNotices,
    private readonly deliverNow: DeliverNow,
  ) {}

  async handle(event: v1.EventEnvelope, now = new Date()): Promise<void> {
    const planned = await this.notices.plan(event);
    if (planned.length > 0) await this.deliverNow.deliver(planned, now);
  }
}
