import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeGrpcCertificates } from '@complaints/devstack';
import { randomBytes } from 'node:crypto';
import { ConfigError } from '@complaints/config';
import { IntakeConfig } from './config';

/** Production needs the services' gRPC certificates. */
const GRPC_TLS_DIR = writeGrpcCertificates(fs.mkdtempSync(path.join(os.tmpdir(), 'tls-')), ['x']).x;

const key = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;

describe('intake configuration: personal-data keys', () => {
  it('uses the local-only key and says so when none is configured', () => {
    const config = new IntakeConfig({});
    expect(config.personalData).toMatchObject({ currentKeyId: 'local-1', localDefaults: true, retentionDays: 730 });
  });

  it('refuses the local-only key in production, naming the variables', () => {
    expect(() => new IntakeConfig({ NODE_ENV: 'production', GRPC_TLS_DIR })).toThrow(ConfigError);
    expect(() => new IntakeConfig({ NODE_ENV: 'production', GRPC_TLS_DIR })).toThrow(/PERSONAL_DATA_KEYS/);
    const configured = new IntakeConfig({
      NODE_ENV: 'production',
      GRPC_TLS_DIR,
      PERSONAL_DATA_KEYS: key('2026-11'),
      PERSONAL_DATA_INDEX_SECRET: 'a-secret-of-enough-length',
      TIMELINE_KEYS: key('t-2026'),
    });
    expect(configured.personalData).toMatchObject({ currentKeyId: '2026-11', localDefaults: false });
    expect(configured.timelineKeys).toMatchObject({ currentKeyId: 't-2026', localDefaults: false });
  });

  it("refuses the timeline's local key in production, and needs the current one named among several", () => {
    const personalData = { PERSONAL_DATA_KEYS: key('p'), PERSONAL_DATA_INDEX_SECRET: 'a-secret-of-enough-length' };
    expect(new IntakeConfig({}).timelineKeys).toMatchObject({ currentKeyId: 'local-1', localDefaults: true });
    expect(() => new IntakeConfig({ NODE_ENV: 'production', GRPC_TLS_DIR, ...personalData })).toThrow(
      /TIMELINE_KEYS: required in production/,
    );
    const keys = `${key('old')},${key('new')}`;
    expect(() => new IntakeConfig({ TIMELINE_KEYS: keys })).toThrow(/TIMELINE_KEY_ID/);
    expect(new IntakeConfig({ TIMELINE_KEYS: keys, TIMELINE_KEY_ID: 'new' }).timelineKeys.keys.size).toBe(2);
  });

  it('needs the current key named among several, and only a configured one', () => {
    const keys = `${key('a')},${key('b')}`;
    expect(() => new IntakeConfig({ PERSONAL_DATA_KEYS: keys })).toThrow(/PERSONAL_DATA_KEY_ID/);
    expect(() => new IntakeConfig({ PERSONAL_DATA_KEYS: keys, PERSONAL_DATA_KEY_ID: 'c' })).toThrow(
      /PERSONAL_DATA_KEY_ID/,
    );
    expect(new IntakeConfig({ PERSONAL_DATA_KEYS: keys, PERSONAL_DATA_KEY_ID: 'b' }).personalData.keys.size).toBe(2);
    expect(() => new IntakeConfig({ PERSONAL_DATA_KEYS: 'a:short' })).toThrow(/must be 32 bytes/);
  });
});
