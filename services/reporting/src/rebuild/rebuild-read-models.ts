import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { EventBus } from '@complaints/messaging';
import { ComplaintFactsRepository } from '../complaint-facts/complaint-facts.repository';
import { ProjectEvent } from '../complaint-facts/project-event';
import { RefreshRollups } from '../rollups/refresh-rollups';
import { RebuildsRepository, type RebuildStatusView } from './rebuilds.repository';

/** A rebuild that has not reported progress for this long was cut off by a restart. */
const ABANDONED_AFTER_MS = 60_000;
const PROGRESS_EVERY = 500;

/**
 * Drops a group's complaint rows and rollups and projects them again from every event in the
 * stream: proof that the read models are a function of the events, and the way to apply a
 * corrected projection to history. The durable consumer goes on meanwhile; what it applies is
 * either replayed again (and ignored as a duplicate) or not yet in the stream when the replay
 * started, so nothing is lost either way.
 */
@Injectable()
export class RebuildReadModels implements OnApplicationBootstrap {
  private readonly logger = new Logger(RebuildReadModels.name);

  constructor(
    private readonly bus: EventBus,
    private readonly facts: ComplaintFactsRepository,
    private readonly refresh: RefreshRollups,
    private readonly projection: ProjectEvent,
    private readonly rebuilds: RebuildsRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const groupId of await this.rebuilds.abandoned(new Date(Date.now() - ABANDONED_AFTER_MS))) {
      this.logger.log(`resuming the rebuild of ${groupId}, cut off by a restart`);
      this.launch(groupId);
    }
  }

  /** Starts a rebuild unless one is running; answers at once with its status. */
  async start(groupId: string): Promise<RebuildStatusView> {
    if (await this.rebuilds.claim(groupId)) this.launch(groupId);
    return this.rebuilds.status(groupId);
  }

  /** Runs in the background: the caller polls the status; `run` records its own failure. */
  private launch(groupId: string): void {
    void this.run(groupId);
  }

  private async run(groupId: string): Promise<void> {
    let applied = 0;
    try {
      await this.facts.deleteGroup(groupId);
      await this.refresh.deleteGroup(groupId);
      let seen = 0;
      const { read } = await this.bus.replay(async (event) => {
        seen += 1;
        if (event.groupId === groupId && (await this.projection.project(event))) applied += 1;
        if (seen % PROGRESS_EVERY === 0) await this.rebuilds.progress(groupId, seen, applied);
      });
      await this.rebuilds.progress(groupId, read, applied);
      await this.refresh.refreshGroup(groupId);
      await this.rebuilds.finish(groupId, { status: 'done', complaints: await this.facts.count(groupId), error: '' });
      this.logger.log(`rebuilt ${groupId}: ${applied} events applied of ${read} read`);
    } catch (error) {
      this.logger.error(`rebuilding ${groupId} failed: ${String(error)}`);
      await this.rebuilds.finish(groupId, { status: 'failed', complaints: 0, error: String(error) });
    }
  }
}
