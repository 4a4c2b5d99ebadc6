import {
  CorrectiveActionEvents,
  UnpublishedCorrectiveAction,
  UnpublishedCorrectiveActionSchema,
} from './corrective-action-events';
import {
  CorrectiveActionRecord,
  CorrectiveActionRecords,
  CorrectiveActionRecordSchema,
} from './corrective-action-records';
import { complaintIntakeClientProvider } from './complaint-intake.client';
import { CorrectiveActionsConsumer } from './corrective-actions.consumer';
import { CorrectiveActions } from './corrective-actions.service';

// Corrective and preventive actions (纠正与预防措施): provided by the lifecycle module, whose
// worker also runs their timers.
export const CORRECTIVE_ACTION_FEATURES = [
  { name: CorrectiveActionRecord.name, schema: CorrectiveActionRecordSchema },
  { name: UnpublishedCorrectiveAction.name, schema: UnpublishedCorrectiveActionSchema },
];
export const CORRECTIVE_ACTION_PROVIDERS = [
  CorrectiveActionRecords,
  CorrectiveActionEvents,
  CorrectiveActions,
  CorrectiveActionsConsumer,
  complaintIntakeClientProvider,
];
export { CorrectiveActionEvents } from './corrective-action-events';
export { CorrectiveActionRecords } from './corrective-action-records';
export { CorrectiveActionsGrpcController } from './corrective-actions.grpc.controller';
export { createCorrectiveActivities } from './activities';
