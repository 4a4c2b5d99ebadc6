import { loadEnv, port, z } from '@complaints/config';

const list = z
  .string()
  .transform((value) => value.split(',').map((item) => item.trim()))
  .pipe(z.array(z.url()).min(1));

const env = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  HTTP_PORT: port.default(8086),
  /** The issuer as clients and the gateway reach it; the default is this process on loopback. */
  OIDC_ISSUER_URL: z.url().optional(),
  /** The directory seed: every staff member in it is an account. */
  SEED_FILE: z.string().min(1),
  /** One password for every seeded account: local use only, never a real identity provider. */
  OIDC_LOCAL_PASSWORD: z.string().min(8),
  /** Private signing keys (a JWKS); made on first start and kept, so tokens survive restarts. */
  OIDC_KEYS_FILE: z.string().min(1),
  /** The API the access tokens are for (their `aud`): what the gateway checks. */
  OIDC_AUDIENCE: z.string().min(1).default('urn:complaints:api'),
  /** The console: a public client using authorization code + PKCE. */
  OIDC_CLIENT_ID: z.string().min(1).default('complaints-console'),
  OIDC_REDIRECT_URIS: list.default(['http://127.0.0.1:8080/console/callback']),
  OIDC_ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().positive().default(900),
});

export interface IssuerConfig {
  host: string;
  port: number;
  issuerUrl: string;
  seedFile: string;
  password: string;
  keysFile: string;
  audience: string;
  client: { id: string; redirectUris: string[] };
  accessTokenTtlSeconds: number;
}

export function issuerConfig(source: NodeJS.ProcessEnv = process.env): IssuerConfig {
  const values = loadEnv(env, source);
  return {
    host: values.HOST,
    port: values.HTTP_PORT,
    issuerUrl: values.OIDC_ISSUER_URL ?? `http://127.0.0.1:${values.HTTP_PORT}`,
    seedFile: values.SEED_FILE,
    password: values.OIDC_LOCAL_PASSWORD,
    keysFile: values.OIDC_KEYS_FILE,
    audience: values.OIDC_AUDIENCE,
    client: { id: values.OIDC_CLIENT_ID, redirectUris: values.OIDC_REDIRECT_URIS },
    accessTokenTtlSeconds: values.OIDC_ACCESS_TOKEN_TTL_SECONDS,
  };
}
