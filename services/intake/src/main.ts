// First of all: tracing patches http and gRPC, so it must start before anything loads them.
import { startTracing } from '@complaints/service-kit/dist/telemetry/tracing';
startTracing('intake');

import { run, startService } from '@complaints/service-kit';
import { AttachmentsModule } from './attachments/attachments.module';
import { ComplaintsModule } from './complaints/complaints.module';
import { IntakeConfig } from './config';
import { PersonalDataModule } from './personal-data/personal-data.module';
import { WorkOrdersModule } from './work-orders/work-orders.module';
import { HandoverModule } from './handover/handover.module';

run(() =>
  startService({
    name: 'intake',
    config: new IntakeConfig(),
    configClass: IntakeConfig,
    features: [ComplaintsModule, AttachmentsModule, PersonalDataModule, WorkOrdersModule, HandoverModule],
    protoFiles: [
      'complaints/v1/intake.proto',
      'complaints/v1/directory.proto',
      'complaints/v1/attachments.proto',
      'complaints/v1/personal_data.proto',
      'complaints/v1/work_orders.proto',
      'complaints/v1/handover.proto',
    ],
    mongo: true,
    // Notification may ask for a contact, not change the directory; each service confirms its erasures;
    // escalation reads a spot-checked complaint (its follow-up's corrective action).
    grpcCallers: {
      gateway: '*',
      routing: ['listDirectory', 'confirmErasure', 'registerComplaint'],
      escalation: ['listDirectory', 'confirmErasure', 'markWorkOrderOverdue', 'getComplaint'],
      notification: ['listDirectory', 'getComplainantContact', 'confirmErasure'],
      reporting: ['listDirectory', 'confirmErasure'],
    },
  }),
);
