import { readFileSync } from 'node:fs';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { IntakeConfig } from '../config';
import { directorySeed } from './directory.entries';
import { ManageDirectory } from './use-cases/manage-directory';

/** Loads SEED_FILE (the local demo group) at start-up; idempotent, so every start may do it. */
@Injectable()
export class DirectorySeedLoader implements OnApplicationBootstrap {
  private readonly logger = new Logger(DirectorySeedLoader.name);

  constructor(
    private readonly config: IntakeConfig,
    private readonly directory: ManageDirectory,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.seedFile) return;
    const parsed = directorySeed.safeParse(JSON.parse(readFileSync(this.config.seedFile, 'utf8')));
    if (!parsed.success) {
      throw new Error(`seed file ${this.config.seedFile} is invalid: ${parsed.error.message}`);
    }
    await this.directory.loadSeed(parsed.data);
    this.logger.log(
      `seeded group ${parsed.data.groupId}: ${parsed.data.properties.length} properties, ${parsed.data.staff.length} staff`,
    );
  }
}
