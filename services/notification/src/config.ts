import { keySetFromEnv, loadEnv, serviceConfig, z, type KeySet, type ServiceConfig } from '@complaints/config';
import ipaddr from 'ipaddr.js';
import { Sealer, surveyLinkSecretFromEnv } from '@complaints/service-kit';

/** Local-only key sealing stored secrets for `make up` and the tests; production sets SECRET_SEALING_KEYS. */
export const LOCAL_SECRET_SEALING_KEYS = `local-1:${Buffer.from('local-only-secret-sealing-key-01').toString('base64')}`;

/** The providers' own API hosts (Aliyun SMS, WeChat Official Accounts). */
export const DEFAULT_PROVIDER_HOSTS = 'dysmsapi.aliyuncs.com,api.weixin.qq.com';

const commaList = (text: string) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

export class NotificationConfig {
  readonly service: ServiceConfig;
  /**
   * Where delivery and digest tasks wait for workers. Deployments sharing one Temporal
   * namespace (test platforms) each need their own.
   */
  readonly taskQueue: string;
  /** Staff contacts, levels and property time zones are intake's master data: read over gRPC. */
  readonly intake: { url: string; deadlineMs: number; cacheMs: number };
  /** Scheduled reports' files, which their deliveries attach, are reporting's: read over gRPC at each attempt. */
  readonly reporting: { url: string; deadlineMs: number };
  /**
   * Sends in flight at once in this process (all events together), and how long one provider
   * request may take before the delivery is handed to its workflow to retry.
   */
  readonly sending: { concurrency: number; timeoutMs: number; allowedCidrs: string[]; providerHosts: string[] };
  /**
   * Provider secrets and webhook secrets are stored sealed (AES-256-GCM) under these keys, which
   * the database never holds; rotatable like intake's personal-data keys.
   */
  readonly secretKeys: KeySet;
  /**
   * Satisfaction survey links: the page's address (the token is appended) and the secret they
   * are signed with, the gateway's SURVEY_LINK_SECRET too.
   */
  readonly survey: { linkBase: string; secret: Buffer };
  /** Hours after its shift ended that a handover entry still unsigned is reminded of (交接班未签收). */
  readonly handoverReminderHours: number;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.service = serviceConfig({ db: 'complaints_notification', httpPort: 8084, grpcPort: 50054 }, env);
    const values = loadEnv(
      z.object({
        NOTIFICATION_TASK_QUEUE: z.string().min(1).default('complaint-notifications'),
        INTAKE_GRPC_URL: z.string().min(1).default('127.0.0.1:50051'),
        REPORTING_GRPC_URL: z.string().min(1).default('127.0.0.1:50055'),
        GRPC_DEADLINE_MS: z.coerce.number().int().positive().default(5000),
        DIRECTORY_CACHE_MS: z.coerce.number().int().min(0).default(30_000),
        NOTIFICATION_SEND_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(32),
        NOTIFICATION_SEND_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
        /**
         * Address ranges webhooks may reach although loopback, private or otherwise special
         * (comma-separated CIDRs, e.g. `127.0.0.0/8`); empty: public addresses only.
         */
        OUTBOUND_ALLOWED_CIDRS: z
          .string()
          .default('')
          .transform(commaList)
          .refine(
            (cidrs) => cidrs.every((cidr) => ipaddr.isValidCIDR(cidr)),
            'must be comma-separated CIDRs such as 127.0.0.0/8',
          ),
        /**
         * The hosts SMS and WeChat settings may name (comma-separated): a group admin cannot point
         * the platform's signed provider calls, with their secrets, anywhere else.
         */
        PROVIDER_HOSTS: z
          .string()
          .default(DEFAULT_PROVIDER_HOSTS)
          .transform((text) => commaList(text).map((host) => host.toLowerCase())),
        /** Where complainants open a survey: the console's public page, the token appended. */
        SURVEY_LINK_BASE_URL: z.url().default('http://127.0.0.1:8080/console/survey/'),
        HANDOVER_REMINDER_HOURS: z.coerce.number().int().min(1).max(72).default(2),
      }),
      env,
    );
    this.secretKeys = keySetFromEnv('SECRET_SEALING', LOCAL_SECRET_SEALING_KEYS, env);
    this.survey = { linkBase: values.SURVEY_LINK_BASE_URL, secret: surveyLinkSecretFromEnv(env) };
    this.taskQueue = values.NOTIFICATION_TASK_QUEUE;
    this.handoverReminderHours = values.HANDOVER_REMINDER_HOURS;
    this.intake = {
      url: values.INTAKE_GRPC_URL,
      deadlineMs: values.GRPC_DEADLINE_MS,
      cacheMs: values.DIRECTORY_CACHE_MS,
    };
    this.reporting = { url: values.REPORTING_GRPC_URL, deadlineMs: values.GRPC_DEADLINE_MS };
    this.sending = {
      concurrency: values.NOTIFICATION_SEND_CONCURRENCY,
      timeoutMs: values.NOTIFICATION_SEND_TIMEOUT_MS,
      allowedCidrs: values.OUTBOUND_ALLOWED_CIDRS,
      providerHosts: values.PROVIDER_HOSTS,
    };
  }
}

/** Seals provider and webhook secrets with the configured keys. */
export function secretSealer(config: NotificationConfig): Sealer {
  return new Sealer(config.secretKeys.keys, config.secretKeys.currentKeyId, 'secret-sealing');
}
