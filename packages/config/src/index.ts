import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';

/** Thrown before Nest starts when the environment is unusable; names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const port = z.coerce.number().int().min(0).max(65535);

/**
 * The shared servers every service talks to. Defaults are the loopback ports that
 * `make up` uses, so a service started by hand next to `make up` just works.
 */
export const infrastructureEnv = z.object({
  MONGO_URL: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// URL')
    .default('mongodb://127.0.0.1:27018/'),
  NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
});

/** Parses `env` with `schema`, or throws a ConfigError naming each invalid variable. */
export function loadEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`));
  }
  return result.data;
}

export { z };

/** What every service reads; each service adds its own variables on top. */
export interface ServiceConfig {
  mongo: { url: string; db: string };
  natsUrl: string;
  /** The service's own NATS user (NATS_USER, NATS_PASSWORD): what it may publish is the server's to allow. */
  natsCredentials: { user: string; pass: string } | null;
  /** Put before durable consumer names; empty in production (see EventBus.connect). */
  natsConsumerPrefix: string;
  /** Events each durable consumer handles at once (one complaint's always one after another). */
  consumerConcurrency: number;
  temporal: { address: string; namespace: string };
  /** Interface the HTTP and gRPC servers bind to (0.0.0.0 in a container). */
  host: string;
  httpPort: number;
  grpcPort: number;
  /** Mutual TLS between the services; null: plain gRPC (local and tests only). */
  grpcTls: GrpcTls | null;
}

export function serviceConfig(
  defaults: { db: string; httpPort: number; grpcPort: number },
  env: NodeJS.ProcessEnv = process.env,
): ServiceConfig {
  const values = loadEnv(
    infrastructureEnv.extend({
      MONGO_DB: z.string().min(1).default(defaults.db),
      HOST: z.string().min(1).default('127.0.0.1'),
      HTTP_PORT: port.default(defaults.httpPort),
      GRPC_PORT: port.default(defaults.grpcPort),
      NATS_CONSUMER_PREFIX: z
        .string()
        .regex(/^[A-Za-z0-9_-]*$/, 'letters, digits, "-" and "_" only')
        .default(''),
      CONSUMER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
      NATS_USER: z.string().min(1).optional(),
      NATS_PASSWORD: z.string().min(1).optional(),
    }),
    env,
  );
  return {
    mongo: { url: values.MONGO_URL, db: values.MONGO_DB },
    natsUrl: values.NATS_URL,
    natsCredentials: values.NATS_USER ? { user: values.NATS_USER, pass: values.NATS_PASSWORD ?? '' } : null,
    natsConsumerPrefix: values.NATS_CONSUMER_PREFIX,
    consumerConcurrency: values.CONSUMER_CONCURRENCY,
    temporal: { address: values.TEMPORAL_ADDRESS, namespace: values.TEMPORAL_NAMESPACE },
    host: values.HOST,
    httpPort: values.HTTP_PORT,
    grpcPort: values.GRPC_PORT,
    grpcTls: grpcTlsFromEnv(env),
  };
}

/**
 * This service's certificate and key and the certificate authority of the platform, for mutual
 * TLS on gRPC: each service proves which service it is (the certificate's name) to the one it
 * calls, and which calls it may make is decided from that name.
 */
export interface GrpcTls {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

/**
 * `GRPC_TLS_DIR`: a directory holding `ca.crt`, `tls.crt` and `tls.key` (a Kubernetes TLS secret
 * as mounted). Unset: plain gRPC, refused with NODE_ENV=production.
 */
export function grpcTlsFromEnv(env: NodeJS.ProcessEnv = process.env): GrpcTls | null {
  const directory = env.GRPC_TLS_DIR;
  if (!directory) {
    if (env.NODE_ENV === 'production') {
      throw new ConfigError(['GRPC_TLS_DIR: required in production (services authenticate each other by it)']);
    }
    return null;
  }
  try {
    const read = (name: string) => fs.readFileSync(path.join(directory, name));
    return { ca: read('ca.crt'), cert: read('tls.crt'), key: read('tls.key') };
  } catch (error) {
    throw new ConfigError([`GRPC_TLS_DIR: ${(error as Error).message}`]);
  }
}

/** `id:base64key,id:base64key` → map of 32-byte keys; throws naming what is wrong. */
export function parseKeys(value: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const part of value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)) {
    const separator = part.indexOf(':');
    const id = part.slice(0, separator);
    if (separator <= 0 || !/^[A-Za-z0-9._-]+$/.test(id)) throw new Error(`"${id || part}" is not a key id`);
    const key = Buffer.from(part.slice(separator + 1), 'base64');
    if (key.length !== 32) throw new Error(`key ${id} must be 32 bytes, base64 (openssl rand -base64 32)`);
    if (keys.has(id)) throw new Error(`key ${id} is listed twice`);
    keys.set(id, key);
  }
  if (keys.size === 0) throw new Error('no key');
  return keys;
}

/** Keys a service seals or signs with: every key older values may still need, and the current one. */
export interface KeySet {
  keys: Map<string, Buffer>;
  /** The key new values are sealed or signed with. */
  currentKeyId: string;
  /** The published local key is in use (never in production). */
  localDefaults: boolean;
}

/**
 * Reads a rotatable key set from `<NAME>_KEYS` (`id:base64,…`) and `<NAME>_KEY_ID` (which one is
 * current; implied when there is one key). Unset, the published `localKeys` serve `make up` and the
 * tests, and are refused with NODE_ENV=production.
 */
export function keySetFromEnv(name: string, localKeys: string, env: NodeJS.ProcessEnv = process.env): KeySet {
  const keysVariable = `${name}_KEYS`;
  const idVariable = `${name}_KEY_ID`;
  const configured = env[keysVariable] || undefined;
  if (!configured && env.NODE_ENV === 'production') {
    throw new ConfigError([`${keysVariable}: required in production (the local default is public)`]);
  }
  let keys: Map<string, Buffer>;
  try {
    keys = parseKeys(configured ?? localKeys);
  } catch (error) {
    throw new ConfigError([`${keysVariable}: ${(error as Error).message}`]);
  }
  // With one key it is obviously the current one; with several, rotation needs the choice said.
  const currentKeyId = env[idVariable] || (keys.size === 1 ? [...keys.keys()][0] : undefined);
  if (!currentKeyId || !keys.has(currentKeyId)) {
    throw new ConfigError([`${idVariable}: must name one of the keys in ${keysVariable}`]);
  }
  return { keys, currentKeyId, localDefaults: !configured };
}
