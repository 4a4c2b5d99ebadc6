import { startGateway, type InProcessGateway } from './in-process-gateway';

interface Operation {
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, unknown> }>;
}
interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description: string };
  security: Record<string, string[]>[];
  components: { securitySchemes: Record<string, unknown>; schemas: Record<string, Record<string, unknown>> };
  paths: Record<string, Record<string, Operation>>;
}

/** What Express holds after Nest registered its routes (Express 5: `app.router.stack`). */
interface ExpressLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

// The probes, the complainant's survey link (its token is the credential) and own view (number and digits).
const PUBLIC_ROUTES = [
  'GET /healthz',
  'GET /metrics',
  'GET /readyz',
  'GET /v1/surveys/{token}',
  'POST /v1/surveys/{token}',
  'POST /v1/complainant-view',
  'GET /v1/complainant-view/{token}',
];

describe('the OpenAPI document', () => {
  let gateway: InProcessGateway;
  let document: OpenApiDocument;
  const operations = (): [string, Operation][] =>
    Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]): [string, Operation] => [
        `${method.toUpperCase()} ${path}`,
        operation,
      ]),
    );

  beforeAll(async () => {
    gateway = await startGateway();
    const response = await fetch(`${gateway.url}/openapi.json`);
    expect(response.status).toBe(200);
    document = (await response.json()) as OpenApiDocument;
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it('is OpenAPI 3.1, served without a key', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.title).toBeTruthy();
    expect(document.info.description).toContain('/problems/rate-limited');
  });

  it('lists every route the application serves, and nothing else', () => {
    const stack = (gateway.app.getHttpAdapter().getInstance() as { router: { stack: ExpressLayer[] } }).router.stack;
    const served = stack
      .flatMap((layer) =>
        layer.route
          ? Object.keys(layer.route.methods).map(
              (method) => `${method.toUpperCase()} ${layer.route?.path.replace(/:(\w+)/g, '{$1}')}`,
            )
          : [],
      )
      // The document and its viewer, and the staff console, are served beside the API, not part of
      // it; `/{*path}` is the request logger (middleware on every route of every method), not a route.
      .filter((route) => !/ \/(docs|openapi\.json|console|\{\*path\})/.test(route));
    expect(served).toEqual(
      expect.arrayContaining(['POST /v1/complaints', 'GET /v1/complaints/{id}', ...PUBLIC_ROUTES]),
    );
    expect(
      operations()
        .map(([route]) => route)
        .sort(),
    ).toEqual([...new Set(served)].sort());
  });

  it('asks for an API key or a staff access token everywhere but the probes', () => {
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual([
      'apiKey',
      'bearer',
      'operator',
      'staffToken',
    ]);
    expect(document.components.securitySchemes.staffToken).toMatchObject({ scheme: 'bearer', bearerFormat: 'JWT' });
    expect(document.security).toEqual([{ bearer: [] }, { apiKey: [] }, { staffToken: [] }]);
    for (const [route, operation] of operations()) {
      if (PUBLIC_ROUTES.includes(route)) {
        expect(operation.security).toEqual([]);
      } else if (route.includes(' /v1/platform/')) {
        // The platform operator's own credential, and nothing of a group's.
        expect({ route, security: operation.security }).toEqual({ route, security: [{ operator: [] }] });
        expect(operation.responses['401']?.headers).toHaveProperty('WWW-Authenticate');
      } else {
        expect({ route, security: operation.security }).toEqual({ route, security: undefined });
        expect(operation.responses['401']?.headers).toHaveProperty('WWW-Authenticate');
      }
    }
  });

  it('documents a success and every problem with its status and Retry-After', () => {
    for (const [route, operation] of operations()) {
      const statuses = Object.keys(operation.responses);
      expect({ route, success: statuses.some((status) => /^2\d\d$/.test(status)) }).toEqual({ route, success: true });
      expect(statuses).toContain('500');
      if (PUBLIC_ROUTES.includes(route)) continue;
      const missing = ['401', '429', '503', '504'].filter((status) => !statuses.includes(status));
      expect({ route, missing }).toEqual({ route, missing: [] });
      for (const status of ['429', '503', '504'])
        expect(operation.responses[status].headers).toHaveProperty('Retry-After');
      expect(operation.responses['401'].content).toHaveProperty(['application/problem+json']);
    }
  });

  it('gives every body-taking operation its zod schema, with 400 and 413', () => {
    for (const [route, operation] of operations().filter(([route]) => /^(POST|PUT|PATCH) /.test(route))) {
      const content = operation.requestBody?.content ?? {};
      // Uploads are multipart with one binary part; every other body is a zod-derived JSON schema.
      const multipart = content['multipart/form-data']?.schema as
        { properties?: Record<string, { format?: string }> } | undefined;
      if (multipart) {
        expect({ route, file: multipart.properties?.file?.format }).toEqual({ route, file: 'binary' });
      } else {
        const body = content['application/json']?.schema as { $ref?: string } | undefined;
        expect({ route, ref: body?.$ref?.startsWith('#/components/schemas/') }).toEqual({ route, ref: true });
      }
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['400', '413']));
    }
    const registration = document.components.schemas.RegisterComplaint;
    expect(registration).toMatchObject({ type: 'object', additionalProperties: false });
    expect(registration.required).toEqual(expect.arrayContaining(['propertyId', 'channel', 'description']));
  });

  it('documents Idempotency-Key on registration and the 404 of a complaint out of scope', () => {
    const register = document.paths['/v1/complaints'].post;
    expect(register.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false })]),
    );
    expect(register.responses).toHaveProperty('409');
    expect(document.paths['/v1/complaints/{id}'].get.responses).toHaveProperty('404');
  });

  it('refers only to components it defines', () => {
    const refs = JSON.stringify(document).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of new Set(refs)) {
      const name = /#\/components\/schemas\/([^"]+)/.exec(ref)?.[1];
      expect({ ref, defined: name !== undefined && name in document.components.schemas }).toEqual({
        ref,
        defined: true,
      });
    }
  });

  it('is browsable at /docs with a viewer the gateway serves itself (no CDN)', async () => {
    const page = await fetch(`${gateway.url}/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('swagger-ui-bundle.js');
    // Scripts and styles come from the gateway, not from a CDN the partner's network may not reach.
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//);

    const bundle = await fetch(`${gateway.url}/docs/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
    const init = await fetch(`${gateway.url}/docs/swagger-ui-init.js`);
    expect(await init.text()).toContain('/v1/admin/api-keys');
  });

  it('answers with browser protections, and a content policy that fits what each path serves', async () => {
    const policyOf = async (path: string) => {
      const response = await fetch(`${gateway.url}${path}`);
      expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      return response.headers.get('content-security-policy') ?? '';
    };
    // The console's own files only: an injected inline script or a foreign host does not run.
    const console = await policyOf('/console/');
    expect(console).toContain("script-src 'self';");
    expect(console).toContain("frame-ancestors 'none'");
    expect(console).not.toContain('unsafe');
    expect(await policyOf('/docs')).toContain("style-src 'self' 'unsafe-inline'");
    expect(await policyOf('/openapi.json')).toBe("default-src 'none';frame-ancestors 'none'");
    expect(await policyOf('/v1/complaints')).toBe("default-src 'none';frame-ancestors 'none'");
  });
});
