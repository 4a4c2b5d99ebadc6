import type { RequestHandler } from 'express';
import helmet from 'helmet';
import { DOCS_PATH } from './openapi/openapi-document';

/**
 * Browser protections on every answer (helmet): HSTS, no Referer, never framed, no sniffing. The
 * Content-Security-Policy depends on what the path serves:
 * - the console may load only its own files and talk only to the gateway and the groups' identity
 *   providers (sign-in discovery, token and silent renewal);
 * - the API documentation viewer also needs inline styles (swagger-ui);
 * - everything else is data, which a browser should never render as a page.
 */
export function securityHeaders(options: { identityProviders: () => readonly string[] }): RequestHandler {
  // Helmet asks per answer: a group given a new identity provider needs no restart.
  const provider = () => options.identityProviders().join(' ');
  const providerOr = (otherwise: string) => () => provider() || otherwise;
  const common = {
    strictTransportSecurity: { maxAge: 365 * 24 * 60 * 60, includeSubDomains: true },
    referrerPolicy: { policy: 'no-referrer' as const },
    xFrameOptions: { action: 'deny' as const },
  };
  const locked = { 'default-src': ["'self'"], 'base-uri': ["'none'"], 'object-src': ["'none'"] };
  const console = helmet({
    ...common,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        ...locked,
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:', 'blob:'],
        'connect-src': ["'self'", provider],
        'frame-src': [providerOr("'none'")],
        'form-action': ["'self'", provider],
        'frame-ancestors': ["'none'"],
      },
    },
  });
  const docs = helmet({
    ...common,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        ...locked,
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'frame-ancestors': ["'none'"],
      },
    },
  });
  const data = helmet({
    ...common,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] },
    },
  });
  return (request, response, next) => {
    const handler = request.path.startsWith('/console') ? console : request.path.startsWith(DOCS_PATH) ? docs : data;
    handler(request, response, next);
  };
}
