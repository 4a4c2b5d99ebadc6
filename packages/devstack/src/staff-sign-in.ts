import { createHash, randomBytes } from 'node:crypto';

/** Where the local issuer runs and the one client it knows (the console). */
export interface LocalIssuer {
  issuerUrl: string;
  audience: string;
  clientId: string;
  redirectUri: string;
  /** The one local password of every seeded staff account. */
  password: string;
  /** The issuer's private signing keys (a JWKS), for tests that forge tokens with the real key. */
  keysFile: string;
}

/** A cookie jar just big enough for one sign-in: name → value, for the issuer's origin. */
class Cookies {
  private readonly values = new Map<string, string>();

  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      this.values.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
  }

  header(): string {
    return [...this.values].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/**
 * Signs a staff member in at the local issuer the way the console will: authorization code with
 * PKCE, the login form posted, redirects followed by hand until the redirect URI gets its code,
 * then the code exchanged. Answers the access token (a JWT for the gateway).
 */
export async function signInStaff(issuer: LocalIssuer, staffId: string, password = issuer.password): Promise<string> {
  const verifier = randomBytes(32).toString('base64url');
  const authorize = new URL('/auth', issuer.issuerUrl);
  authorize.search = new URLSearchParams({
    client_id: issuer.clientId,
    response_type: 'code',
    redirect_uri: issuer.redirectUri,
    scope: 'openid profile complaints',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state: randomBytes(8).toString('hex'),
  }).toString();

  const cookies = new Cookies();
  const visit = async (url: URL, init: RequestInit = {}): Promise<Response> => {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: cookies.header() },
    });
    cookies.take(response);
    return response;
  };

  let response = await visit(authorize);
  for (let hops = 0; hops < 10; hops++) {
    const location = response.headers.get('location');
    if (response.status === 200 && (await response.clone().text()).includes('<form')) {
      // The login form of this interaction: post the credentials to it.
      response = await visit(new URL(`${new URL(response.url).pathname}/login`, issuer.issuerUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ login: staffId, password }).toString(),
      });
      if (response.status === 401) throw new Error(`sign-in of ${staffId} refused: wrong staff id or password`);
      continue;
    }
    if (!location) throw new Error(`sign-in of ${staffId} stopped: ${response.status} ${await response.text()}`);
    const next = new URL(location, issuer.issuerUrl);
    if (next.href.startsWith(issuer.redirectUri)) {
      const code = next.searchParams.get('code');
      if (!code) throw new Error(`sign-in of ${staffId} refused: ${next.searchParams.get('error_description')}`);
      const token = await fetch(new URL('/token', issuer.issuerUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: issuer.redirectUri,
          client_id: issuer.clientId,
          code_verifier: verifier,
        }).toString(),
      });
      const body = (await token.json()) as { access_token?: string; error_description?: string };
      if (!body.access_token) throw new Error(`token exchange for ${staffId} failed: ${body.error_description}`);
      return body.access_token;
    }
    response = await visit(next);
  }
  throw new Error(`sign-in of ${staffId} did not finish`);
}
