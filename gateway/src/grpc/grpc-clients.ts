import type { Provider } from '@nestjs/common';
import { v1 } from '@complaints/contracts';
import { GrpcServiceClient } from '@complaints/service-kit';
import { GatewayConfig } from '../config';
import { UPSTREAM_RETRY_AFTER_SECONDS } from '../problems/problem-types';

/** Intake's complaints. */
export class IntakeClient extends GrpcServiceClient<v1.IntakeServiceClient> {}

/** Routing's classification and assignment decisions. */
export class RoutingClient extends GrpcServiceClient<v1.RoutingServiceClient> {}

/** Escalation's lifecycles. */
export class EscalationClient extends GrpcServiceClient<v1.EscalationServiceClient> {}

/** Escalation's corrective and preventive actions (纠正与预防措施). */
export class CorrectiveActionsClient extends GrpcServiceClient<v1.CorrectiveActionServiceClient> {}

/** Notification's settings, webhook subscriptions and delivery records. */
export class NotificationClient extends GrpcServiceClient<v1.NotificationServiceClient> {}

/** Reporting's read models, reports and exports. */
export class ReportingClient extends GrpcServiceClient<v1.ReportingServiceClient> {}

/** Intake's attachments (evidence in GridFS). */
export class AttachmentClient extends GrpcServiceClient<v1.AttachmentServiceClient> {}

/** Intake's personal data: reveal, access log, erasure requests. */
export class PersonalDataClient extends GrpcServiceClient<v1.PersonalDataServiceClient> {}

/** Intake's directory (master data: regions, properties, departments, staff). */
export class DirectoryClient extends GrpcServiceClient<v1.DirectoryServiceClient> {}

/** Intake's repair work orders. */
export class WorkOrderClient extends GrpcServiceClient<v1.WorkOrderServiceClient> {}

/** Escalation's work order times and their timers. */
export class WorkOrderDeadlineClient extends GrpcServiceClient<v1.WorkOrderDeadlineServiceClient> {}

// A service back after a restart is used again about when our 503s told clients to retry.
const clientLimits = (config: GatewayConfig) => ({
  deadlineMs: config.grpc.deadlineMs,
  maxReconnectBackoffMs: UPSTREAM_RETRY_AFTER_SECONDS * 1000,
  tls: config.grpc.tls,
});

export const grpcClientProviders: Provider[] = [
  {
    provide: IntakeClient,
    inject: [GatewayConfig],
    useFactory: (config: GatewayConfig) =>
      new IntakeClient({
        url: config.grpc.intake,
        protoFile: 'complaints/v1/intake.proto',
        serviceName: v1.INTAKE_SERVICE_NAME,
        ...clientLimits(config),
      }),
  },
  {
    provide: AttachmentClient,
    inject: [GatewayConfig],
    useFactory: (config: GatewayConfig) =>
      new AttachmentClient({
        url: config.grpc.intake,
        protoFile: 'complaints/v1/attachments.proto',
        serviceName: v1.ATTACHMENT_SERVICE_NAME,
        ...clientLimits(config),
      }),
  },
  {
    provide: PersonalDataClient,
    inject: [GatewayConfig],
    useFactory: (config: GatewayConfig) =>
      new PersonalDataClient({
        url: config.grpc.intake,
        protoFile: 'complaints/v1/personal_data.proto',
        serviceName: v1.PERSONAL_DATA_SERVICE_NAME,
        ...clientLimits(config),
      }),
  },
  {
    provide: DirectoryClient,
    inject: [GatewayConfig],
    useFactory: (config: GatewayConfig) =>
      new DirectoryClient({
        url: config.grpc.intake,
        protoFile: 'complaints/v1/directory.proto',
        serviceName: v1.DIRECTORY_SERVICE_NAME,
        ...clientLimits(config),
      }),
  },
  {
    provide: RoutingClient,
    inject: [GatewayConfig],
    useFactory: (config: GatewayConfig) =>
      new RoutingClient({
        url: config.grpc.routing,
        protoFile: 'complaints/v1/routing.proto',
        serviceName: v1.ROUTING_SERVICE_NAME,
        ...clientLimits(config),
      }),
  },
  {
    provide: EscalationClient,
    inject: [GatewayConfig],
    useFactory: (config: GatewayConfig) =>
      new EscalationClient({
        url: config.grpc.escalation,
        protoFile: 'complaints/v1/escalation.proto',
        serviceName: v1.ESCALATION_SERVICE_NAME,
        ...clientLimits(config),
      }),
  },
  {
    provide: CorrectiveActionsClient,
    inject: [GatewayConfig],
    useFactory: (config: GatewayConfig) =>
      new CorrectiveActionsClient({
        url: config.grpc.escalation,
        protoFile: 'complaints/v1/corrective_actions.proto',
        serviceName: v1.CORRECTIVE_ACTION_SERVICE_NAME,
        ...clientLimits(config),
      }),
  },
  {
    provide: NotificationClient,
    inject: [GatewayConfig],
    useFactory: (config: GatewayConfig) =>
      new NotificationClient({
        url: config.grpc.notification,
        protoFile: 'complaints/v1/notification.proto',
        serviceName: v1.NOTIFICATION_SERVICE_NAME,
        ...clientLimits(config),
      }),
  },
  {
    provide: ReportingClient,
    inject: [GatewayConfig],
    useFactory: (config: GatewayConfig) =>
      new ReportingClient({
        url: config.grpc.reporting,
        protoFile: 'complaints/v1/reporting.proto',
        serviceName: v1.REPORTING_SERVICE_NAME,
        ...clientLimits(config),
      }),
  },
  {
    provide: WorkOrderClient,
    inject: [GatewayConfig],
    useFactory: (config: GatewayConfig) =>
      new WorkOrderClient({
        url: config.grpc.intake,
        protoFile: 'complaints/v1/work_orders.proto',
        serviceName: v1.WORK_ORDER_SERVICE_NAME,
        ...clientLimits(config),
      }),
  },
  {
    provide: WorkOrderDeadlineClient,
    inject: [GatewayConfig],
    useFactory: (config: GatewayConfig) =>
      new WorkOrderDeadlineClient({
        url: config.grpc.escalation,
        protoFile: 'complaints/v1/escalation.proto',
        serviceName: v1.WORK_ORDER_DEADLINE_SERVICE_NAME,
        ...clientLimits(config),
      }),
  },
];

/** Intake's handover book and work ledger (交接班本, 工作台帐). */
export class HandoverClient extends GrpcServiceClient<v1.HandoverServiceClient> {}

grpcClientProviders.push({
  provide: HandoverClient,
  inject: [GatewayConfig],
  useFactory: (config: GatewayConfig) =>
    new HandoverClient({
      url: config.grpc.intake,
      protoFile: 'complaints/v1/handover.proto',
      serviceName: v1.HANDOVER_SERVICE_NAME,
      ...clientLimits(config),
    }),
});
