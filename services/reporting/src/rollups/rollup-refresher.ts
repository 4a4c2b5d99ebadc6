import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ReportingConfig } from '../config';
import { RefreshRollups } from './refresh-rollups';

/** Every so many ticks, also the groups this process did not change (another replica's, or before a restart). */
const SWEEP_EVERY_TICKS = 12;

/**
 * Brings rollup rows up to date in the background (and marks the periods they touch stale), so
 * that reading a report seldom has to. Reads refresh the group themselves and build stale
 * figures, so this is about speed, never about correctness.
 * Each tick refreshes the groups this process changed since the last one; at start and every
 * SWEEP_EVERY_TICKS ticks, every group that has a change document (one small document per
 * group), for changes a replica left behind.
 */
@Injectable()
export class RollupRefresher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RollupRefresher.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private ticks = 0;
  private restUntil = 0;

  constructor(
    private readonly refresh: RefreshRollups,
    private readonly config: ReportingConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Rows of an older version (filed by half-year) are filed by day before any refresh.
    await this.refresh.fileByDay();
    this.timer = setInterval(() => {
      // Rest as long as the last pass took, so the background work takes at most about half of
      // the time however much there is to do.
      if (this.running || Date.now() < this.restUntil) return;
      const started = Date.now();
      this.running = this.tick()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.error(`refreshing rollups failed: ${String(error)}`))
        .finally(() => {
          this.restUntil = Date.now() + (Date.now() - started);
          this.running = undefined;
        });
    }, this.config.refreshIntervalMs);
  }

  /** One pass; the groups refreshed. */
  async tick(): Promise<string[]> {
    const sweep = this.ticks % SWEEP_EVERY_TICKS === 0;
    this.ticks += 1;
    const groups = new Set(this.refresh.takeDirty());
    if (sweep) for (const groupId of await this.refresh.groupsWithChanges()) groups.add(groupId);
    const refreshed: string[] = [];
    for (const groupId of groups) {
      try {
        // Another replica refreshing it has it in hand.
        if (await this.refresh.refreshGroup(groupId, false)) refreshed.push(groupId);
      } catch (error) {
        this.refresh.markDirty(groupId);
        this.logger.error(`refreshing the rollups of ${groupId} failed: ${String(error)}`);
      }
    }
    return refreshed;
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
