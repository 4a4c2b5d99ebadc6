import * as net from 'node:net';
import { testServers, uniqueDatabase } from '@complaints/devstack';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { generateApiKey, hashApiKey } from '../src/api-keys/api-key-secret';
import { createGateway } from '../src/app';
import { GatewayConfig } from '../src/config';

/** A port nothing listens on: connecting is refused at once, like a service that is down. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface InProcessGateway {
  url: string;
  /** The bootstrap admin key of `groupId`. */
  adminKey: string;
  groupId: string;
  app: NestExpressApplication;
  /** The gateway's own database connection. */
  database: Connection;
  close(): Promise<void>;
}

/**
 * The gateway alone, in this process, on the real MongoDB of the test run (its own database)
 * and listening on a free port. Its services are unreachable unless `env` points at them:
 * what the gateway does by itself (keys, limits, errors, documentation) needs no platform.
 */
export async function startGateway(env: NodeJS.ProcessEnv = {}): Promise<InProcessGateway> {
  const groupId = `group-${uniqueDatabase('g').slice(2)}`;
  const adminKey = generateApiKey().apiKey;
  const downAt = `127.0.0.1:${await closedPort()}`;
  const config = new GatewayConfig({
    MONGO_URL: testServers().mongoUrl,
    MONGO_DB: uniqueDatabase('gateway'),
    INTAKE_GRPC_URL: downAt,
    ESCALATION_GRPC_URL: downAt,
    NOTIFICATION_GRPC_URL: downAt,
    BOOTSTRAP_API_KEY: adminKey,
    BOOTSTRAP_GROUP_ID: groupId,
    ...env,
  });
  const app = await createGateway(config, { logger: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    adminKey,
    groupId,
    app,
    database: app.get<Connection>(getConnectionToken()),
    close: () => app.close(),
  };
}

/**
 * Stores a key straight into a gateway database, as an operator of another group would have
 * created it; returns the key. The API cannot do this: admins only create keys of their own group.
 */
export async function insertApiKey(
  database: Pick<Connection, 'collection'>,
  key: { groupId: string; admin?: boolean; propertyIds?: string[] | null; name?: string },
): Promise<string> {
  const { keyId, apiKey } = generateApiKey();
  await database.collection('api_keys').insertOne({
    _id: keyId as never,
    name: key.name ?? 'inserted by a test',
    groupId: key.groupId,
    propertyIds: key.propertyIds ?? null,
    admin: key.admin ?? false,
    secretHash: hashApiKey(apiKey),
    createdAt: new Date(),
    lastUsedAt: null,
    revokedAt: null,
  });
  return apiKey;
}

export { call } from '@complaints/devstack';
