import {
  ConfigError,
  keySetFromEnv,
  loadEnv,
  serviceConfig,
  z,
  type KeySet,
  type ServiceConfig,
} from '@complaints/config';

/**
 * Local-only personal-data secrets for `make up` and the tests: published here, so they protect
 * nothing. With NODE_ENV=production (the container image) they are refused: set
 * PERSONAL_DATA_KEYS, PERSONAL_DATA_KEY_ID and PERSONAL_DATA_INDEX_SECRET from a Kubernetes secret.
 */
export const LOCAL_PERSONAL_DATA_KEYS = `local-1:${Buffer.from('local-only-personal-data-key-001').toString('base64')}`;
export const LOCAL_PERSONAL_DATA_INDEX_SECRET = 'local-only-personal-data-index-secret';
/** Local-only key of the timeline's HMAC chain; production sets TIMELINE_KEYS (and TIMELINE_KEY_ID). */
export const LOCAL_TIMELINE_KEYS = `local-1:${Buffer.from('local-only-timeline-chain-key-01').toString('base64')}`;

export interface PersonalDataConfig {
  /** Key id → 32-byte AES key. Every key some stored value may still be sealed with. */
  keys: Map<string, Buffer>;
  /** The key new values are sealed with; the re-encryption pass moves old values to it. */
  currentKeyId: string;
  indexSecret: Buffer;
  /** The published local secrets are in use (never in production). */
  localDefaults: boolean;
  /** Personal data of complaints closed or withdrawn longer than this is erased. */
  retentionDays: number;
  /** How often the retention pass runs; 0: never (tests run it themselves). */
  retentionIntervalMs: number;
  /** Records per write batch of the retention and re-encryption passes. */
  batchSize: number;
}

export class IntakeConfig {
  readonly service: ServiceConfig;
  /** How often the outbox relay looks for events not yet on the stream. */
  readonly outboxRelayIntervalMs: number;
  /** Largest attachment accepted, in bytes. */
  readonly attachmentMaxBytes: number;
  /** Attachments one complaint holds at most. */
  readonly maxAttachments: number;
  /** A complaint whose timeline holds this many entries takes no more notes (its lifecycle's go on). */
  readonly maxTimelineEntries: number;
  /** Master data loaded at start-up (the local demo group); unset in production. */
  readonly seedFile: string | undefined;
  readonly personalData: PersonalDataConfig;
  /**
   * The timeline's chain is an HMAC under these keys, which the database never holds: someone who
   * can write the database can still not write a chain that verifies.
   */
  readonly timelineKeys: KeySet;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.service = serviceConfig({ db: 'complaints_intake', httpPort: 8081, grpcPort: 50051 }, env);
    const values = loadEnv(
      z.object({
        OUTBOX_RELAY_INTERVAL_MS: z.coerce.number().int().positive().default(5000),
        SEED_FILE: z.string().min(1).optional(),
        ATTACHMENT_MAX_BYTES: z.coerce
          .number()
          .int()
          .positive()
          .max(15 * 1024 * 1024)
          .default(10 * 1024 * 1024),
        MAX_ATTACHMENTS_PER_COMPLAINT: z.coerce.number().int().positive().default(50),
        MAX_TIMELINE_ENTRIES: z.coerce.number().int().positive().default(2_000),
        PERSONAL_DATA_INDEX_SECRET: z.string().min(16, 'at least 16 characters').optional(),
        PERSONAL_DATA_RETENTION_DAYS: z.coerce.number().positive().default(730),
        PERSONAL_DATA_RETENTION_INTERVAL_MS: z.coerce
          .number()
          .int()
          .min(0)
          .default(60 * 60 * 1000),
        PERSONAL_DATA_BATCH_SIZE: z.coerce.number().int().positive().max(10_000).default(100),
        NODE_ENV: z.string().optional(),
      }),
      env,
    );
    this.outboxRelayIntervalMs = values.OUTBOX_RELAY_INTERVAL_MS;
    this.seedFile = values.SEED_FILE;
    this.attachmentMaxBytes = values.ATTACHMENT_MAX_BYTES;
    this.maxAttachments = values.MAX_ATTACHMENTS_PER_COMPLAINT;
    this.maxTimelineEntries = values.MAX_TIMELINE_ENTRIES;
    this.personalData = personalDataConfig(values, env);
    this.timelineKeys = keySetFromEnv('TIMELINE', LOCAL_TIMELINE_KEYS, env);
  }
}

function personalDataConfig(
  values: {
    PERSONAL_DATA_INDEX_SECRET?: string;
    PERSONAL_DATA_RETENTION_DAYS: number;
    PERSONAL_DATA_RETENTION_INTERVAL_MS: number;
    PERSONAL_DATA_BATCH_SIZE: number;
    NODE_ENV?: string;
  },
  env: NodeJS.ProcessEnv,
): PersonalDataConfig {
  const { keys, currentKeyId, localDefaults } = keySetFromEnv('PERSONAL_DATA', LOCAL_PERSONAL_DATA_KEYS, env);
  if (!values.PERSONAL_DATA_INDEX_SECRET && values.NODE_ENV === 'production') {
    throw new ConfigError(['PERSONAL_DATA_INDEX_SECRET: required in production (the local default is public)']);
  }
  return {
    keys,
    currentKeyId,
    indexSecret: Buffer.from(values.PERSONAL_DATA_INDEX_SECRET ?? LOCAL_PERSONAL_DATA_INDEX_SECRET, 'utf8'),
    localDefaults: localDefaults || !values.PERSONAL_DATA_INDEX_SECRET,
    retentionDays: values.PERSONAL_DATA_RETENTION_DAYS,
    retentionIntervalMs: values.PERSONAL_DATA_RETENTION_INTERVAL_MS,
    batchSize: values.PERSONAL_DATA_BATCH_SIZE,
  };
}
