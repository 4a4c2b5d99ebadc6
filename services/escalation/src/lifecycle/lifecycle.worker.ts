import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import type { WorkerOptions } from '@temporalio/worker';
import { EventBus } from '@complaints/messaging';
import { TemporalWorkerHost } from '@complaints/service-kit';
import { EscalationConfig } from '../config';
import { createActivities } from './activities';

/** The prebuilt bundle (`npm run build`) when present; otherwise bundled at start-up from source. */
export function workflowSource(): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  const bundle = join(__dirname, 'workflow-bundle.js');
  return existsSync(bundle)
    ? { workflowBundle: { codePath: bundle } }
    : { workflowsPath: require.resolve('./workflow') };
}

/** Runs the lifecycle workflows and their activities. */
@Injectable()
export class LifecycleWorker extends TemporalWorkerHost {
  constructor(
    private readonly config: EscalationConfig,
    private readonly bus: EventBus,
  ) {
    super();
  }

  protected temporal() {
    return this.config.service.temporal;
  }

  protected workerOptions() {
    return {
      taskQueue: this.config.taskQueue,
      ...workflowSource(),
      activities: createActivities({ bus: this.bus }),
    };
  }
}
