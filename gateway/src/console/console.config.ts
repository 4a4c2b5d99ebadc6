import * as path from 'node:path';
import { loadEnv, z } from '@complaints/config';

const env = z.object({
  /** The built console (`console/dist`): the repository's, or where the image copies it. */
  CONSOLE_DIR: z
    .string()
    .min(1)
    .default(path.resolve(__dirname, '..', '..', '..', 'console', 'dist')),
  /** The OpenID Connect issuer staff sign in at (the same variable the gateway verifies tokens with). */
  OIDC_ISSUER_URL: z.url().optional(),
  /** The console's client at that issuer: a public client using authorization code + PKCE. */
  CONSOLE_OIDC_CLIENT_ID: z.string().min(1).default('complaints-console'),
  CONSOLE_OIDC_SCOPE: z.string().min(1).default('openid profile complaints'),
  /**
   * Local and development only: the sign-in page also offers an API key plus the staff member to
   * act as. Never in production: anyone holding a key could act as anyone.
   */
  CONSOLE_DEVELOPER_SIGN_IN: z.enum(['true', 'false']).default('false'),
});

/** What the console needs from the gateway's environment; its public part is `/console/config.json`. */
export class ConsoleConfig {
  readonly directory: string;
  readonly oidc: { issuerUrl: string; clientId: string; scope: string } | null;
  readonly developerSignIn: boolean;

  constructor(source: NodeJS.ProcessEnv = process.env) {
    const values = loadEnv(env, source);
    this.directory = values.CONSOLE_DIR;
    this.oidc = values.OIDC_ISSUER_URL
      ? { issuerUrl: values.OIDC_ISSUER_URL, clientId: values.CONSOLE_OIDC_CLIENT_ID, scope: values.CONSOLE_OIDC_SCOPE }
      : null;
    this.developerSignIn = values.CONSOLE_DEVELOPER_SIGN_IN === 'true';
  }

  /** Public: the browser reads it before anyone signs in. No secrets here. */
  publicView() {
    return {
      oidc: this.oidc ? { ...this.oidc, redirectPath: '/console/callback' } : null,
      developerSignIn: this.developerSignIn,
    };
  }
}
