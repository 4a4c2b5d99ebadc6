import { Injectable } from '@nestjs/common';
import { EventBus } from '@complaints/messaging';
import { TemporalWorkerHost, workflowSource } from '@complaints/service-kit';
import { EscalationConfig } from '../config';
import { createActivities } from './activities';

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
      ...workflowSource(__dirname, require.resolve('./workflow')),
      activities: createActivities({ bus: this.bus }),
    };
  }
}
