import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { status } from '@grpc/grpc-js';
import { grpcTlsFromEnv, type GrpcTls } from '@complaints/config';
import { v1 } from '@complaints/contracts';
import {
  localNatsPassword,
  startTestPlatform,
  writeGrpcCertificates,
  type RunningPlatform,
} from '@complaints/devstack';
import { createEvent, EventBus } from '@complaints/messaging';
import { GrpcServiceClient } from '@complaints/service-kit';

class Directory extends GrpcServiceClient<v1.DirectoryServiceClient> {
  constructor(url: string, tls: GrpcTls | null) {
    super({
      url,
      protoFile: 'complaints/v1/directory.proto',
      serviceName: v1.DIRECTORY_SERVICE_NAME,
      deadlineMs: 5_000,
      maxReconnectBackoffMs: 1_000,
      tls,
    });
  }
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => status.OK,
    (error: { code?: number }) => error.code,
  );

// Intake as the platform runs it: mutual TLS, and each calling service held to what it may call.
describe('gRPC between services', () => {
  let platform: RunningPlatform;
  const clients: Directory[] = [];
  const as = (tls: GrpcTls | null) => {
    const client = new Directory(platform.services.intake.grpcAddress, tls);
    clients.push(client);
    return client;
  };
  const certificateOf = (name: string) => grpcTlsFromEnv({ GRPC_TLS_DIR: platform.grpcTlsDirs[name] });

  beforeAll(async () => {
    platform = await startTestPlatform('grpc-callers', { only: ['intake'] });
  });
  afterAll(async () => {
    for (const client of clients) client.onApplicationShutdown();
    await platform?.stop();
  });

  it('lets each service make the calls it needs, and no other', async () => {
    const notification = as(certificateOf('notification'));
    expect(await codeOf(notification.call.listDirectory({ groupId: 'demo-group' }))).toBe(status.OK);
    // Notification reads the directory; changing it is not its business.
    expect(await codeOf(notification.call.upsertStaff({ staff: undefined }))).toBe(status.PERMISSION_DENIED);
    // The gateway may: the same call gets past the guard and is judged on its content.
    expect(await codeOf(as(certificateOf('gateway')).call.upsertStaff({ staff: undefined }))).toBe(
      status.INVALID_ARGUMENT,
    );
  });

  it('lets a service publish only its own events on NATS', async () => {
    const as = (service: string) =>
      EventBus.connect({
        url: platform.natsUrl,
        name: `test-as-${service}`,
        credentials: { user: service, pass: localNatsPassword(service) },
      });
    const forged = () =>
      createEvent(
        'transitioned',
        { groupId: 'demo-group', complaintId: randomUUID() },
        {
          action: 'close',
          fromStatus: 'resolved',
          toStatus: 'closed',
          actor: undefined,
          reason: '',
          detailsJson: '{}',
        },
      );
    const notification = await as('notification');
    const escalation = await as('escalation');
    try {
      await expect(notification.publish(forged())).rejects.toThrow(/permission/i);
      await expect(escalation.publish(forged())).resolves.toMatchObject({ duplicate: false });
    } finally {
      await Promise.all([notification.close(), escalation.close()]);
    }
  });

  it('refuses a caller without a certificate of the platform', async () => {
    expect(await codeOf(as(null).call.listDirectory({ groupId: 'demo-group' }))).toBe(status.UNAVAILABLE);
    const stranger = writeGrpcCertificates(path.join(os.tmpdir(), `stranger-${process.pid}`), ['gateway']);
    const foreign = grpcTlsFromEnv({ GRPC_TLS_DIR: stranger.gateway });
    expect(await codeOf(as(foreign).call.listDirectory({ groupId: 'demo-group' }))).toBe(status.UNAVAILABLE);
  });
});
