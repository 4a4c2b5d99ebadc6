import { ConfigError, grpcTlsFromEnv, infrastructureEnv, loadEnv, port, z, type GrpcTls } from '@complaints/config';
import { surveyLinkSecretFromEnv } from '@complaints/service-kit';
import { API_KEY_PATTERN } from './api-keys/api-key-secret';

const env = z.object({
  MONGO_URL: infrastructureEnv.shape.MONGO_URL,
  MONGO_DB: z.string().min(1).default('complaints_gateway'),
  HOST: z.string().min(1).default('127.0.0.1'),
  HTTP_PORT: port.default(8080),
  INTAKE_GRPC_URL: z.string().min(1).default('127.0.0.1:50051'),
  ESCALATION_GRPC_URL: z.string().min(1).default('127.0.0.1:50053'),
  ROUTING_GRPC_URL: z.string().min(1).default('127.0.0.1:50052'),
  NOTIFICATION_GRPC_URL: z.string().min(1).default('127.0.0.1:50054'),
  REPORTING_GRPC_URL: z.string().min(1).default('127.0.0.1:50055'),
  GRPC_DEADLINE_MS: z.coerce.number().int().positive().default(5000),
  BOOTSTRAP_API_KEY: z
    .string()
    .regex(API_KEY_PATTERN, 'must be an API key: ck_<key id>_<43 characters of base64url>')
    .optional(),
  BOOTSTRAP_GROUP_ID: z.string().min(1).default('demo-group'),
  /**
   * The platform operator's credentials (`/v1/platform/…`: create, suspend and remove groups),
   * comma-separated so a new one can be added before the old is dropped. Each `op_` and at least
   * 32 random characters; unset, the platform API refuses every request. No group's key opens it.
   */
  PLATFORM_OPERATOR_KEYS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((key) => key.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(z.string().regex(/^op_[A-Za-z0-9_-]{32,}$/, 'each must read op_ and 32 or more letters, digits, _ or -')),
    ),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  /**
   * Wrong or missing API keys one client address may send in a minute; past it, 429 before any
   * credential is checked (guessing keys). Staff tokens refused are not counted.
   */
  FAILED_AUTHENTICATIONS_PER_MINUTE: z.coerce.number().int().positive().default(30),
  /**
   * Which peers' X-Forwarded-For tells the client's address (Express's `trust proxy`): by default
   * the private ranges an ingress or load balancer sits in, so each client is counted, not the proxy.
   */
  TRUST_PROXY: z.string().min(1).default('loopback, linklocal, uniquelocal'),
  /**
   * Registrations sent to intake at once; more are refused with 503 before any work is done
   * (see RegistrationAdmission). About intake's rate × the latency a partner should see.
   */
  REGISTRATIONS_IN_FLIGHT: z.coerce.number().int().positive().default(32),
  /** The Retry-After of that 503: a moment, since the backlog it protects drains quickly. */
  OVERLOAD_RETRY_AFTER_SECONDS: z.coerce.number().int().min(1).max(60).default(1),
  /** Largest attachment upload; intake has its own limit, which should be the same. */
  ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .max(15 * 1024 * 1024)
    .default(10 * 1024 * 1024),
  /**
   * Staff sign in at the group's OpenID Connect provider; unset, only API keys are accepted.
   * Discovery (`/.well-known/openid-configuration`) gives the JWKS; its keys are refetched when a
   * token names an unknown one, so the IdP may rotate them.
   */
  OIDC_ISSUER_URL: z.url().or(z.literal('')).optional(),
  /** The `aud` access tokens must carry: the API as registered at the IdP. */
  OIDC_AUDIENCE: z.string().min(1).default('urn:complaints:api'),
  /** Leeway for `exp` / `nbf` / `iat` between the IdP's clock and ours. */
  OIDC_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  /** The claim holding the staff id of the directory. */
  OIDC_STAFF_CLAIM: z.string().min(1).default('sub'),
  /**
   * The group whose staff sign in at this issuer: its identity provider is set from these
   * variables at each start. Every other group's is data (`/v1/platform/groups`).
   */
  OIDC_GROUP_ID: z.string().min(1).optional(),
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  /** `production` (the container image): the published local key and an implied sign-in group are refused. */
  NODE_ENV: z.string().optional(),
});

/**
 * The key `make up` ensures is published in this repository: its id is `local`
 * (packages/devstack/src/up.ts). Any key with that id is refused in production.
 */
const PUBLISHED_LOCAL_KEY_ID = 'ck_local_';

export class GatewayConfig {
  readonly host: string;
  readonly httpPort: number;
  /** The gateway's own database: partner API keys. */
  readonly mongo: { url: string; db: string };
  readonly grpc: {
    intake: string;
    routing: string;
    escalation: string;
    notification: string;
    reporting: string;
    deadlineMs: number;
    /** The gateway's certificate for mutual TLS with the services (GRPC_TLS_DIR); null: plain gRPC. */
    tls: GrpcTls | null;
  };
  /** An admin key ensured at start-up, so a fresh installation has a way in. */
  readonly bootstrap: { apiKey: string | undefined; groupId: string };
  /** Who may manage groups (PLATFORM_OPERATOR_KEYS); empty: nobody. */
  readonly operatorKeys: readonly string[];
  readonly limits: {
    requestsPerMinute: number;
    failedAuthenticationsPerMinute: number;
    /** Express's `trust proxy`: whose X-Forwarded-For names the client. */
    trustProxy: string;
    maxBodyBytes: number;
    attachmentMaxBytes: number;
    registrationsInFlight: number;
    overloadRetryAfterSeconds: number;
  };
  /** Checks the survey links notification signs (SURVEY_LINK_SECRET, the same as notification's). */
  readonly surveyLinkSecret: Buffer;
  /** Leeway for a staff token's `exp` / `nbf` against the identity provider's clock. */
  readonly oidcClockToleranceSeconds: number;
  /** The identity provider set from the environment for one group; undefined: none (others are data). */
  readonly oidc: { issuerUrl: string; audience: string; staffClaim: string; groupId: string } | undefined;

  constructor(source: NodeJS.ProcessEnv = process.env) {
    const values = loadEnv(env, source);
    if (values.NODE_ENV === 'production') refuseLocalSettings(values);
    this.host = values.HOST;
    this.httpPort = values.HTTP_PORT;
    this.mongo = { url: values.MONGO_URL, db: values.MONGO_DB };
    this.grpc = {
      intake: values.INTAKE_GRPC_URL,
      routing: values.ROUTING_GRPC_URL,
      escalation: values.ESCALATION_GRPC_URL,
      notification: values.NOTIFICATION_GRPC_URL,
      reporting: values.REPORTING_GRPC_URL,
      deadlineMs: values.GRPC_DEADLINE_MS,
      tls: grpcTlsFromEnv(source),
    };
    this.bootstrap = { apiKey: values.BOOTSTRAP_API_KEY, groupId: values.BOOTSTRAP_GROUP_ID };
    this.operatorKeys = values.PLATFORM_OPERATOR_KEYS;
    this.surveyLinkSecret = surveyLinkSecretFromEnv(source);
    this.limits = {
      requestsPerMinute: values.RATE_LIMIT_PER_MINUTE,
      failedAuthenticationsPerMinute: values.FAILED_AUTHENTICATIONS_PER_MINUTE,
      trustProxy: values.TRUST_PROXY,
      maxBodyBytes: values.MAX_BODY_BYTES,
      attachmentMaxBytes: values.ATTACHMENT_MAX_BYTES,
      registrationsInFlight: values.REGISTRATIONS_IN_FLIGHT,
      overloadRetryAfterSeconds: values.OVERLOAD_RETRY_AFTER_SECONDS,
    };
    this.oidcClockToleranceSeconds = values.OIDC_CLOCK_TOLERANCE_SECONDS;
    this.oidc = values.OIDC_ISSUER_URL
      ? {
          issuerUrl: values.OIDC_ISSUER_URL,
          audience: values.OIDC_AUDIENCE,
          staffClaim: values.OIDC_STAFF_CLAIM,
          groupId: values.OIDC_GROUP_ID ?? values.BOOTSTRAP_GROUP_ID,
        }
      : undefined;
  }
}

function refuseLocalSettings(values: z.infer<typeof env>): void {
  const problems: string[] = [];
  if (values.BOOTSTRAP_API_KEY?.startsWith(PUBLISHED_LOCAL_KEY_ID)) {
    problems.push('BOOTSTRAP_API_KEY: the local development key is published; make a key of your own in production');
  }
  if (values.PLATFORM_OPERATOR_KEYS.some((key) => key.startsWith('op_local-'))) {
    problems.push('PLATFORM_OPERATOR_KEYS: the local development credential is published; make one of your own');
  }
  // Falling back to BOOTSTRAP_GROUP_ID would let one group's identity provider sign staff into another.
  if (values.OIDC_ISSUER_URL && !values.OIDC_GROUP_ID) {
    problems.push('OIDC_GROUP_ID: required in production with OIDC_ISSUER_URL (the group whose staff sign in there)');
  }
  if (problems.length > 0) throw new ConfigError(problems);
}
