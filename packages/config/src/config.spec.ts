import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, grpcTlsFromEnv, serviceConfig } from './index';

describe('service configuration', () => {
  const defaults = { db: 'complaints_intake', httpPort: 8081, grpcPort: 50051 };

  it('uses the local defaults when nothing is set', () => {
    expect(serviceConfig(defaults, {})).toEqual({
      mongo: { url: 'mongodb://127.0.0.1:27018/', db: 'complaints_intake' },
      natsUrl: 'nats://127.0.0.1:4222',
      natsConsumerPrefix: '',
      consumerConcurrency: 16,
      temporal: { address: '127.0.0.1:7233', namespace: 'default' },
      host: '127.0.0.1',
      httpPort: 8081,
      grpcPort: 50051,
      grpcTls: null,
      natsCredentials: null,
    });
  });

  it('reads the environment, coercing ports', () => {
    const config = serviceConfig(defaults, { MONGO_URL: 'mongodb://db:27017/', HTTP_PORT: '9000', MONGO_DB: 'x' });
    expect(config.mongo).toEqual({ url: 'mongodb://db:27017/', db: 'x' });
    expect(config.httpPort).toBe(9000);
  });

  it('names every invalid variable before anything starts', () => {
    let caught: unknown;
    try {
      serviceConfig(defaults, { MONGO_URL: 'postgres://nope', HTTP_PORT: 'eighty', GRPC_PORT: '70000' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as ConfigError).message;
    expect(message).toContain('MONGO_URL');
    expect(message).toContain('HTTP_PORT');
    expect(message).toContain('GRPC_PORT');
  });

  it('reads the gRPC certificate directory, and requires it in production', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'grpc-tls-'));
    for (const name of ['ca.crt', 'tls.crt', 'tls.key']) fs.writeFileSync(path.join(directory, name), name);
    expect(grpcTlsFromEnv({ GRPC_TLS_DIR: directory })).toEqual({
      ca: Buffer.from('ca.crt'),
      cert: Buffer.from('tls.crt'),
      key: Buffer.from('tls.key'),
    });
    expect(grpcTlsFromEnv({})).toBeNull();
    expect(() => grpcTlsFromEnv({ NODE_ENV: 'production' })).toThrow(/GRPC_TLS_DIR: required in production/);
    expect(() => grpcTlsFromEnv({ GRPC_TLS_DIR: path.join(directory, 'missing') })).toThrow(/GRPC_TLS_DIR: ENOENT/);
  });
});
