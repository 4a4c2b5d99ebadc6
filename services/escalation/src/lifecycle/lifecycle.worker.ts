import { Injectable } from '@nestjs/common';
import { EventBus } from '@complaints/messaging';
import { TemporalWorkerHost } from '@complaints/service-kit';
import { EscalationConfig } from '../config';
import { CorrectiveActionEvents, CorrectiveActionRecords, createCorrectiveActivities } from '../corrective-actions';
import { createActivities } from './activities';
import { LifecycleRecords } from './lifecycle-records';
import { PRELOADED_MODULES } from './preloaded-modules';
import { createWorkOrderActivities } from '../work-orders/work-order.activities';
import { WorkOrderIntakeClient } from '../work-orders/work-order-deadlines.module';

/** Runs the lifecycle workflows and their activities. */
@Injectable()
export class LifecycleWorker extends TemporalWorkerHost {
  constructor(
    config: EscalationConfig,
    private readonly bus: EventBus,
    private readonly records: LifecycleRecords,
    private readonly workOrders: WorkOrderIntakeClient,
    private readonly correctiveActions: CorrectiveActionRecords,
    private readonly correctiveEvents: CorrectiveActionEvents,
  ) {
    super(config);
  }

  protected workflows() {
    return {
      dir: __dirname,
      workflowsPath: require.resolve('./workflow'),
      activities: {
        ...createActivities({ bus: this.bus, records: this.records }),
        ...createWorkOrderActivities({ markOverdue: (mark) => this.workOrders.call.markWorkOrderOverdue(mark) }),
        ...createCorrectiveActivities({
          records: this.correctiveActions,
          bus: this.bus,
          events: this.correctiveEvents,
        }),
      },
      preloadModules: PRELOADED_MODULES,
    };
  }
}
