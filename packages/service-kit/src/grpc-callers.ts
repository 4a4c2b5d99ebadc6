import type { PeerCertificate } from 'node:tls';
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { credentials, ServerCredentials, type ChannelCredentials, type ServerUnaryCall } from '@grpc/grpc-js';
import type { GrpcTls } from '@complaints/config';
import { DomainError } from './domain-errors';

/**
 * Which calls each service may make of this one: `'*'` every method, or the handlers by name
 * (`getComplainantContact`). A service not listed may call nothing.
 */
export type GrpcCallers = Readonly<Record<string, '*' | readonly string[]>>;

/** The platform service that serves each gRPC service: the name its certificate carries. */
const SERVED_BY: Readonly<Record<string, string>> = {
  IntakeService: 'intake',
  AttachmentService: 'intake',
  PersonalDataService: 'intake',
  DirectoryService: 'intake',
  RoutingService: 'routing',
  EscalationService: 'escalation',
  CorrectiveActionService: 'escalation',
  NotificationService: 'notification',
  ReportingService: 'reporting',
  WorkOrderService: 'intake',
  WorkOrderDeadlineService: 'escalation',
  HandoverService: 'intake',
};

/** The service whose certificate a client of `complaints.v1.<Name>` expects to meet. */
export function serviceServing(grpcServiceName: string): string {
  const name = grpcServiceName.split('.').at(-1) ?? grpcServiceName;
  const service = SERVED_BY[name];
  if (!service) throw new Error(`no platform service serves ${grpcServiceName}`);
  return service;
}

export function serverCredentials(tls: GrpcTls | null): ServerCredentials {
  // The client must present a certificate of the platform's authority: that is who it is.
  return tls
    ? ServerCredentials.createSsl(tls.ca, [{ cert_chain: tls.cert, private_key: tls.key }], true)
    : ServerCredentials.createInsecure();
}

export function channelCredentials(tls: GrpcTls | null): ChannelCredentials {
  return tls ? credentials.createSsl(tls.ca, tls.key, tls.cert) : credentials.createInsecure();
}

/**
 * The channel options that make a client check it reached the right service: the server's
 * certificate must name the service, wherever the address points (a Kubernetes service, a port).
 */
export function expectedServerName(tls: GrpcTls | null, service: string): Record<string, string> {
  return tls ? { 'grpc.ssl_target_name_override': service, 'grpc.default_authority': service } : {};
}

/**
 * Least privilege between services: the caller is the service its client certificate names
 * (mutual TLS), and it may call only what `callers` gives it (notification may ask intake for a
 * contact, not change the directory). Without TLS (local runs and tests) every call is let
 * through: there is no name to judge.
 */
@Injectable()
export class GrpcCallersGuard implements CanActivate {
  constructor(
    private readonly callers: GrpcCallers,
    private readonly tls: boolean,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'rpc' || !this.tls) return true;
    const call = context.getArgByIndex<ServerUnaryCall<unknown, unknown> | undefined>(2);
    const caller = callerOf(call?.getAuthContext().sslPeerCertificate);
    const method = context.getHandler().name;
    const allowed = caller ? this.callers[caller] : undefined;
    if (allowed === '*' || allowed?.includes(method)) return true;
    throw new DomainError('permission_denied', `${caller ?? 'an unnamed caller'} may not call ${method}`);
  }
}

function callerOf(certificate: PeerCertificate | undefined): string | undefined {
  const name = certificate?.subject?.CN;
  return typeof name === 'string' && name !== '' ? name : undefined;
}
