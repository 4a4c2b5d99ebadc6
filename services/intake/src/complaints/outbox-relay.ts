import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { v1 } from '@complaints/contracts';
import { EventBus } from '@complaints/messaging';
import { IntakeConfig } from '../config';
import { ComplaintsRepository } from './complaints.repository';

/**
 * Publishes events that were stored with their complaint but not confirmed on the stream
 * (NATS was down, or the process died between the write and the publish). Event ids are
 * stable, so a second publish of the same event is dropped by JetStream.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly complaints: ComplaintsRepository,
    private readonly bus: EventBus,
    private readonly config: IntakeConfig,
  ) {}

  onApplicationBootstrap(): void {
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

  /** Publishes what is pending; returns how many events went out. */
  async relayOnce(): Promise<number> {
    // Leave in-flight registrations to their own request for a moment.
    const olderThan = new Date(Date.now() - this.config.outboxRelayIntervalMs);
    let published = 0;
    for (const complaint of await this.complaints.withPendingEvents(olderThan, 100)) {
      for (const pending of complaint.outbox) {
        await this.bus.publish(v1.EventEnvelope.decode(pending.envelope));
        published++;
      }
      await this.complaints.clearOutbox(complaint.groupId, complaint._id, complaint.outbox.length);
    }
    if (published > 0) this.logger.log(`published ${published} pending event(s)`);
    return published;
  }
}
