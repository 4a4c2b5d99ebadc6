import { Injectable } from '@nestjs/common';
import type { v1 } from '@complaints/contracts';
import { DeliverNow } from '../deliveries/deliver-now';
import { HandoverNotices, noticeOf } from './handover-notices';
import { HandoverReminders } from './handover-reminders';

/**
 * What a handover event leads to: the desk's or the reviewers' messages, sent at once like any
 * event's, and the entry's reminder started, moved or ended. No case, no complainant, and no
 * partner webhook: the handover book is the desk's own (partners read it through the API).
 */
@Injectable()
export class HandoverEventsHandler {
  constructor(
    private readonly notices: HandoverNotices,
    private readonly reminders: HandoverReminders,
    private readonly deliverNow: DeliverNow,
  ) {}

  async handle(event: v1.EventEnvelope, now = new Date()): Promise<void> {
    const notice = noticeOf(event);
    if (notice) await this.deliverNow.deliver(await this.notices.plan(notice), now);
    await this.reminders.follow(event);
  }
}
