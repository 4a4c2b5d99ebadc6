import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ReportingConfig } from '../config';
import { RefreshRollups } from './refresh-rollups';

/**
 * Brings stale rollups up to date in the background, so that reading a report seldom has to.
 * Reads refresh a stale period themselves, so this is about speed, never about correctness.
 */
@Injectable()
export class RollupRefresher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RollupRefresher.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly refresh: RefreshRollups,
    private readonly config: ReportingConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.refresh
        .refreshStale()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.error(`refreshing rollups failed: ${String(error)}`))
        .finally(() => (this.running = undefined));
    }, this.config.refreshIntervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
