import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeGrpcCertificates } from '@complaints/devstack';
import { randomBytes } from 'node:crypto';
import { NotificationConfig } from './config';

/** Production needs the services' gRPC certificates. */
const GRPC_TLS_DIR = writeGrpcCertificates(fs.mkdtempSync(path.join(os.tmpdir(), 'tls-')), ['x']).x;

describe('notification configuration', () => {
  it('seals with the local key unless told otherwise, and refuses it in production', () => {
    expect(new NotificationConfig({}).secretKeys).toMatchObject({ currentKeyId: 'local-1', localDefaults: true });
    expect(() => new NotificationConfig({ NODE_ENV: 'production', GRPC_TLS_DIR })).toThrow(
      /SECRET_SEALING_KEYS: required in production/,
    );
    const keys = `old:${randomBytes(32).toString('base64')},new:${randomBytes(32).toString('base64')}`;
    expect(() => new NotificationConfig({ SECRET_SEALING_KEYS: keys })).toThrow(/SECRET_SEALING_KEY_ID/);
    const production = {
      NODE_ENV: 'production',
      GRPC_TLS_DIR,
      SECRET_SEALING_KEYS: keys,
      SECRET_SEALING_KEY_ID: 'new',
    };
    // Survey links are signed with a secret of the deployment's, not the published local one.
    expect(() => new NotificationConfig(production)).toThrow(/SURVEY_LINK_SECRET: required in production/);
    const rotating = new NotificationConfig({ ...production, SURVEY_LINK_SECRET: 'a-survey-secret-of-enough-length' });
    expect(rotating.secretKeys).toMatchObject({ currentKeyId: 'new', localDefaults: false });
  });

  it('sends SMS and WeChat to the providers’ hosts only, unless more are listed', () => {
    expect(new NotificationConfig({}).sending.providerHosts).toEqual(['dysmsapi.aliyuncs.com', 'api.weixin.qq.com']);
    expect(
      new NotificationConfig({ PROVIDER_HOSTS: 'SMS.Example.cn, api.weixin.qq.com' }).sending.providerHosts,
    ).toEqual(['sms.example.cn', 'api.weixin.qq.com']);
  });
});
