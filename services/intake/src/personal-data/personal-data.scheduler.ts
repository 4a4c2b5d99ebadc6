import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { IntakeConfig } from '../config';
import { MaintainPersonalData } from './use-cases/maintain-personal-data';

/**
 * Runs the passes in the background: sealing records stored in the clear and re-encryption at
 * start-up, while they can have work (MaintainPersonalData.startUpPasses; a rolling restart with
 * a new current key is how a rotation starts), retention every interval, reading only the hours
 * that fell due. An interval rather than a Temporal schedule: intake has no Temporal worker, and
 * the passes are idempotent, so replicas running them at the same time only repeat conditional
 * writes that then match nothing.
 */
@Injectable()
export class PersonalDataScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PersonalDataScheduler.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly maintain: MaintainPersonalData,
    private readonly config: IntakeConfig,
  ) {}

  onApplicationBootstrap(): void {
    const { localDefaults, retentionIntervalMs } = this.config.personalData;
    if (localDefaults) {
      this.logger.warn(
        'personal data is sealed with the published local-only key: set PERSONAL_DATA_KEYS anywhere real',
      );
    }
    this.running = this.maintain
      .startUpPasses()
      .catch((error: unknown) => this.logger.error(`sealing or re-encryption pass failed: ${String(error)}`));
    if (retentionIntervalMs > 0) {
      this.timer = setInterval(() => {
        this.running = this.running
          .then(() => this.maintain.retentionPass())
          .catch((error: unknown) => this.logger.error(`retention pass failed: ${String(error)}`));
      }, retentionIntervalMs);
      this.timer.unref();
    }
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    // A pass in the middle of a batch finishes its write before the connection closes.
    await this.running;
  }
}
