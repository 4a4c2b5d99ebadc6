import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeGrpcCertificates } from '@complaints/devstack';
import { ConfigError } from '@complaints/config';
import { GatewayConfig } from './config';

/** Production needs the services' gRPC certificates. */
const GRPC_TLS_DIR = writeGrpcCertificates(fs.mkdtempSync(path.join(os.tmpdir(), 'tls-')), ['x']).x;

describe('gateway configuration', () => {
  it('uses the local defaults when nothing is set', () => {
    const config = new GatewayConfig({});
    expect(config.mongo).toEqual({ url: 'mongodb://127.0.0.1:27018/', db: 'complaints_gateway' });
    expect(config.grpc.deadlineMs).toBe(5000);
    expect(config.bootstrap).toEqual({ apiKey: undefined, groupId: 'demo-group' });
    expect(config.limits).toEqual({
      requestsPerMinute: 600,
      failedAuthenticationsPerMinute: 30,
      trustProxy: 'loopback, linklocal, uniquelocal',
      maxBodyBytes: 1024 * 1024,
      attachmentMaxBytes: 10 * 1024 * 1024,
      registrationsInFlight: 32,
      overloadRetryAfterSeconds: 1,
    });
  });

  it('reads the limits and the bootstrap key from the environment', () => {
    const apiKey = `ck_abc123_${'x'.repeat(43)}`;
    const config = new GatewayConfig({
      BOOTSTRAP_API_KEY: apiKey,
      BOOTSTRAP_GROUP_ID: 'g1',
      RATE_LIMIT_PER_MINUTE: '5',
      MAX_BODY_BYTES: '2048',
      GRPC_DEADLINE_MS: '250',
    });
    expect(config.bootstrap).toEqual({ apiKey, groupId: 'g1' });
    expect(config.limits).toMatchObject({ requestsPerMinute: 5, maxBodyBytes: 2048 });
    expect(config.grpc.deadlineMs).toBe(250);
  });

  it('turns staff sign-in on only with an issuer, for the bootstrap group unless told otherwise', () => {
    expect(new GatewayConfig({}).oidc).toBeUndefined();
    expect(new GatewayConfig({ OIDC_ISSUER_URL: '' }).oidc).toBeUndefined();
    expect(new GatewayConfig({ OIDC_ISSUER_URL: 'https://idp.example.com', BOOTSTRAP_GROUP_ID: 'g1' }).oidc).toEqual({
      issuerUrl: 'https://idp.example.com',
      audience: 'urn:complaints:api',
      staffClaim: 'sub',
      groupId: 'g1',
    });
    expect(() => new GatewayConfig({ OIDC_ISSUER_URL: 'not a url' })).toThrow(/OIDC_ISSUER_URL/);
  });

  it('refuses the published local key, the local survey link secret and an implied sign-in group in production', () => {
    const SURVEY_LINK_SECRET = 'a-survey-secret-of-enough-length';
    expect(() => new GatewayConfig({ NODE_ENV: 'production', GRPC_TLS_DIR })).toThrow(
      /SURVEY_LINK_SECRET: required in production/,
    );
    expect(new GatewayConfig({ SURVEY_LINK_SECRET }).surveyLinkSecret.toString()).toBe(SURVEY_LINK_SECRET);
    const local = 'ck_local_for-local-development-only-never-in-prod-01';
    expect(new GatewayConfig({ BOOTSTRAP_API_KEY: local }).bootstrap.apiKey).toBe(local);
    expect(() => new GatewayConfig({ NODE_ENV: 'production', GRPC_TLS_DIR, BOOTSTRAP_API_KEY: local })).toThrow(
      /BOOTSTRAP_API_KEY: the local development key is published/,
    );
    const own = `ck_0123456789ab_${'x'.repeat(43)}`;
    expect(
      new GatewayConfig({ NODE_ENV: 'production', GRPC_TLS_DIR, SURVEY_LINK_SECRET, BOOTSTRAP_API_KEY: own }).bootstrap
        .apiKey,
    ).toBe(own);

    const issuer = {
      NODE_ENV: 'production',
      GRPC_TLS_DIR,
      SURVEY_LINK_SECRET,
      OIDC_ISSUER_URL: 'https://idp.example.com',
    };
    expect(() => new GatewayConfig(issuer)).toThrow(/OIDC_GROUP_ID: required in production/);
    expect(new GatewayConfig({ ...issuer, OIDC_GROUP_ID: 'acme' }).oidc?.groupId).toBe('acme');
  });

  it('reads the platform operator’s credentials as a list, refusing short ones and the published one in production', () => {
    expect(new GatewayConfig({}).operatorKeys).toEqual([]);
    const next = `op_${'n'.repeat(40)}`;
    const old = `op_${'o'.repeat(40)}`;
    expect(new GatewayConfig({ PLATFORM_OPERATOR_KEYS: ` ${next}, ${old} ` }).operatorKeys).toEqual([next, old]);
    expect(() => new GatewayConfig({ PLATFORM_OPERATOR_KEYS: 'op_short' })).toThrow(/PLATFORM_OPERATOR_KEYS/);
    const local = 'op_local-operator-for-local-development-only';
    expect(new GatewayConfig({ PLATFORM_OPERATOR_KEYS: local }).operatorKeys).toEqual([local]);
    expect(
      () =>
        new GatewayConfig({
          NODE_ENV: 'production',
          GRPC_TLS_DIR,
          SURVEY_LINK_SECRET: 'a-survey-secret-of-enough-length',
          PLATFORM_OPERATOR_KEYS: local,
        }),
    ).toThrow(/PLATFORM_OPERATOR_KEYS: the local development credential is published/);
  });

  it('names each invalid variable, without echoing a malformed key', () => {
    let caught: unknown;
    try {
      new GatewayConfig({ BOOTSTRAP_API_KEY: 'secret-typo', RATE_LIMIT_PER_MINUTE: '0', MAX_BODY_BYTES: 'lots' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as ConfigError).message;
    expect(message).toContain('BOOTSTRAP_API_KEY');
    expect(message).toContain('RATE_LIMIT_PER_MINUTE');
    expect(message).toContain('MAX_BODY_BYTES');
    expect(message).not.toContain('secret-typo');
  });
});
