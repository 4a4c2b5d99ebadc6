import { join } from 'node:path';

export * as v1 from './barrel';

/** Folder holding `complaints/v1/*.proto`, for gRPC servers and clients (they load protos at run time). */
export const PROTO_ROOT = join(__dirname, '..', '..', '..', 'proto');

/** Every proto file of the v1 package, relative to PROTO_ROOT. */
export const V1_PROTO_FILES = [
  'complaints/v1/intake.proto',
  'complaints/v1/directory.proto',
  'complaints/v1/attachments.proto',
  'complaints/v1/routing.proto',
  'complaints/v1/escalation.proto',
  'complaints/v1/notification.proto',
  'complaints/v1/reporting.proto',
  'complaints/v1/personal_data.proto',
  'complaints/v1/work_orders.proto',
  'complaints/v1/handover.proto',
  'complaints/v1/corrective_actions.proto',
] as const;

export const V1_PACKAGE = 'complaints.v1';
