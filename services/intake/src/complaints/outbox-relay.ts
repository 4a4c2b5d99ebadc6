import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EventBus } from '@complaints/messaging';
import { IntakeConfig } from '../config';
import { timelineEntryFor } from '../timeline/timeline-entries';
import { ComplaintsRepository } from './complaints.repository';
import { PendingOutbox } from './pending-outbox';
import { MaintenanceStates } from './maintenance-state';

const LEGACY_OUTBOX = 'legacy-outbox';

/**
 * A pending event whose change is still not stored after this long belongs to a request that
 * failed (the gateway gives up after 5 s): it is dropped rather than published.
 */
const ABANDONED_AFTER_MS = 60_000;

/**
 * Publishes events that were written pending but not confirmed on the stream (NATS was down, or
 * the process died between the write and the publish). It reads `pending_outbox` whole, which
 * only ever holds events in flight, and the complaint of each by `_id`: an event is published
 * when its complaint names it (the change it announces was stored). Events of other records (work
 * orders, the handover book) are checked the same way against their own record
 * (PendingOutbox.registerRecords). Event ids are stable, so a
 * second publish of the same event is dropped by JetStream and by idempotent consumers.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly complaints: ComplaintsRepository,
    private readonly outbox: PendingOutbox,
    private readonly state: MaintenanceStates,
    private readonly bus: EventBus,
    private readonly config: IntakeConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.running = this.adoptLegacyOutboxes()
      .then(() => undefined)
      .catch((error: unknown) => this.logger.warn(`adopting events of the previous version: ${String(error)}`))
      .finally(() => (this.running = undefined));
    this.timer = setInterval(() => {
      this.running ??= this.relayOnce()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.warn(`outbox relay: ${String(error)}`))
        .finally(() => (this.running = undefined));
    }, this.config.outboxRelayIntervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /**
   * The previous version kept unpublished events on the complaint (`outbox`), found by a query
   * over all complaints. Once per database, at the first start of this version, they move to
   * `pending_outbox` (the record then names them), and the relay publishes them as any other.
   */
  async adoptLegacyOutboxes(): Promise<number> {
    if (await this.state.through(LEGACY_OUTBOX)) return 0;
    const legacy = await this.complaints.withLegacyOutbox();
    for (const complaint of legacy) {
      for (const pending of complaint.outbox) {
        await this.outbox.addEncoded(complaint.groupId, complaint._id, pending.eventId, pending.envelope);
      }
      await this.complaints.adoptLegacyOutbox(complaint);
    }
    await this.state.setThrough(LEGACY_OUTBOX, new Date().toISOString());
    if (legacy.length > 0)
      this.logger.log(`moved the pending events of ${legacy.length} complaint(s) to pending_outbox`);
    return legacy.length;
  }

  /** Publishes what is pending; returns how many events went out. */
  async relayOnce(now = Date.now()): Promise<number> {
    // Leave in-flight requests to publish their own events for a moment.
    const olderThan = now - this.config.outboxRelayIntervalMs;
    let published = 0;
    for (const pending of await this.outbox.all()) {
      const createdAt = new Date(pending.createdAt).getTime();
      if (createdAt > olderThan) continue;
      const check = this.outbox.checkFor(pending.event.type);
      if (check) {
        // Another record's event (a work order's, the handover book's): no complaint, no timeline.
        if (await check(pending.groupId, pending.complaintId, pending._id, pending.event.type)) {
          await this.bus.publish(pending.event);
          await this.outbox.remove(pending._id);
          published++;
          continue;
        }
      } else {
        const complaint = await this.complaints.findById(pending.groupId, pending.complaintId);
        if (complaint && (complaint.eventIds ?? []).includes(pending._id)) {
          // Its request stopped before appending the entry, or before publishing: the entry first,
          // as the request would have, since intake's consumer leaves intake's own events alone.
          const entry = timelineEntryFor(pending.event);
          if (entry) await this.complaints.ensureTimelineOf(complaint, entry);
          await this.bus.publish(pending.event);
          await this.outbox.remove(pending._id);
          published++;
          continue;
        }
      }
      if (now - createdAt > ABANDONED_AFTER_MS) {
        this.logger.warn(`dropped pending ${pending.event.type} event ${pending._id}: its change was never stored`);
        await this.outbox.remove(pending._id);
      }
    }
    if (published > 0) this.logger.log(`published ${published} pending event(s)`);
    return published;
  }
}
