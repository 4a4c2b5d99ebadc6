import { generateKeyPairSync, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import Provider, { errors, type JWK } from 'oidc-provider';
import { issuerConfig, type IssuerConfig } from './config.js';

/**
 * A local OpenID Connect issuer for `make up` and the tests, built on oidc-provider (OpenID
 * certified) so the gateway meets the same discovery, JWKS and token shapes as at a corporate
 * identity provider. Accounts are the staff of the directory seed, all with one local password.
 * Never run it anywhere reachable: production points the gateway at the group's own IdP.
 */

interface SeedStaff {
  id: string;
  name: string;
}

function seededStaff(seedFile: string): Map<string, SeedStaff> {
  const seed = JSON.parse(fs.readFileSync(seedFile, 'utf8')) as { staff?: SeedStaff[] };
  return new Map((seed.staff ?? []).map((staff) => [staff.id, staff]));
}

/** The signing keys, made once and kept: the first signs, the others still verify (rotation by editing the file). */
function signingKeys(keysFile: string): JWK[] {
  if (!fs.existsSync(keysFile)) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
    fs.mkdirSync(path.dirname(keysFile), { recursive: true });
    fs.writeFileSync(keysFile, JSON.stringify({ keys: [jwk] }, null, 2), { mode: 0o600 });
  }
  return (JSON.parse(fs.readFileSync(keysFile, 'utf8')) as { keys: JWK[] }).keys;
}

function samePassword(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(uid: string, error?: string): string {
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>Sign in (local)</title>
<body><h1>Sign in (local issuer)</h1>${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label>Staff id <input name="login" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button></form></body></html>`;
}

async function formBody(request: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export function createIssuer(config: IssuerConfig): { provider: Provider; server: http.Server } {
  const staff = seededStaff(config.seedFile);
  const provider = new Provider(config.issuerUrl, {
    clients: [
      {
        client_id: config.client.id,
        // A browser app holds no secret: authorization code with PKCE (required by oidc-provider).
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: config.client.redirectUris,
      },
    ],
    jwks: { keys: signingKeys(config.keysFile) },
    // Sessions and interactions live in memory: a restart only signs everyone out of the issuer.
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: { openid: ['sub'], profile: ['name'] },
    scopes: ['openid', 'profile', 'complaints'],
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      // Access tokens are JWTs for the one API, so the gateway verifies them with the JWKS alone.
      resourceIndicators: {
        enabled: true,
        defaultResource: () => config.audience,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== config.audience) throw new errors.InvalidTarget();
          return {
            scope: 'complaints',
            audience: config.audience,
            accessTokenFormat: 'jwt',
            accessTokenTTL: config.accessTokenTtlSeconds,
          };
        },
      },
    },
    findAccount: (_ctx, id) => {
      const account = staff.get(id);
      if (!account) return undefined;
      return { accountId: id, claims: () => ({ sub: id, name: account.name }) };
    },
  });

  const interactions = async (request: http.IncomingMessage, response: http.ServerResponse, url: URL) => {
    const [, , uid, step] = url.pathname.split('/');
    const details = await provider.interactionDetails(request, response);
    if (details.uid !== uid) throw new errors.SessionNotFound('interaction mismatch');
    if (details.prompt.name === 'login') {
      if (request.method === 'POST' && step === 'login') {
        const form = await formBody(request);
        const login = form.get('login') ?? '';
        if (staff.has(login) && samePassword(form.get('password') ?? '', config.password)) {
          await provider.interactionFinished(request, response, { login: { accountId: login } });
          return;
        }
        response
          .writeHead(401, { 'content-type': 'text/html; charset=utf-8' })
          .end(loginPage(uid, 'Unknown staff id or wrong password.'));
        return;
      }
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginPage(uid));
      return;
    }
    // The console is the platform's own client: no consent screen, grant what it asked for.
    const grant = new provider.Grant({
      accountId: details.session?.accountId,
      clientId: details.params.client_id as string,
    });
    const scope = details.params.scope;
    grant.addOIDCScope(typeof scope === 'string' ? scope : 'openid');
    grant.addResourceScope(config.audience, 'complaints');
    await provider.interactionFinished(
      request,
      response,
      { consent: { grantId: await grant.save() } },
      { mergeWithLastSubmission: true },
    );
  };

  const oidc = provider.callback();
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', config.issuerUrl);
    if (url.pathname === '/healthz') {
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    if (url.pathname.startsWith('/interaction/')) {
      interactions(request, response, url).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
        response.end(error instanceof Error ? error.message : 'interaction failed');
      });
      return;
    }
    void oidc(request, response);
  });
  return { provider, server };
}

function main(): void {
  const config = issuerConfig();
  const { server } = createIssuer(config);
  server.listen(config.port, config.host, () => {
    console.log(`local OpenID Connect issuer ${config.issuerUrl}: ${config.client.id}, audience ${config.audience}`);
  });
  // Like the services: finish on SIGTERM, say so, exit 0 (devstack and the operations test check it).
  const stop = () => {
    server.close(() => {
      console.log('stopped cleanly');
      process.exit(0);
    });
    server.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main();
