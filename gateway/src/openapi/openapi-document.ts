import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject, type SchemaObject } from '@nestjs/swagger';
import { problemTypesMarkdown, withStandardProblems } from './problem-responses';
import { zodComponentSchemas } from './zod-schemas';

export const OPENAPI_JSON_PATH = '/openapi.json';
export const DOCS_PATH = '/docs';

const DESCRIPTION = `The HTTP API for partner systems (call centres, mini-programs, ERPs, government referrals).

**Authentication.** Every request except the health probes carries an API key, as
\`Authorization: Bearer <key>\` or \`X-API-Key: <key>\`. A key belongs to one group and may be
limited to some of its properties; a complaint outside them answers 404, like one that does not exist.
Admin keys also manage the keys of their group.

**Staff** sign in at their group's OpenID Connect provider and send the access token (a JWT) as
\`Authorization: Bearer <token>\`. They see only complaints in their scope (property, region or
group; others answer 404) and act as their role level and department allow; confidential
complaints exist only for the staff named on them, the staff member who registered them and their handler.

**Limits.** Each key has a number of requests per minute (429 with \`Retry-After\` beyond it);
bodies have a maximum size (413).

**Errors** are RFC 9457 problem details (\`application/problem+json\`) with a stable \`type\`:

${problemTypesMarkdown()}`;

/** The OpenAPI 3.1 document of the running application: operations from the controllers, bodies from zod. */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Complaint handling — partner API')
    .setDescription(DESCRIPTION)
    .setVersion('1')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'ck_<key id>_<secret>', description: 'The API key.' },
      'bearer',
    )
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'The API key.' }, 'apiKey')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'A staff member’s access token from the group’s OpenID Connect provider (authorization code + PKCE).',
      },
      'staffToken',
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'op_<secret>',
        description: 'The platform operator’s credential (PLATFORM_OPERATOR_KEYS): `/v1/platform/…` only.',
      },
      'operator',
    )
    // Any scheme authenticates: alternative requirements.
    .addSecurityRequirements('bearer')
    .addSecurityRequirements('apiKey')
    .addSecurityRequirements('staffToken')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components = {
    ...document.components,
    // JSON Schema 2020-12 (OpenAPI 3.1's dialect); @nestjs/swagger's types only describe 3.0's subset of it.
    schemas: { ...document.components?.schemas, ...(zodComponentSchemas() as Record<string, SchemaObject>) },
  };
  return withStandardProblems(document);
}

/**
 * Serves the document at /openapi.json and a browsable viewer at /docs. The viewer is
 * swagger-ui from the swagger-ui-dist package, served by the gateway itself, so it works
 * without internet access. Both are plain routes outside Nest's router: no guard, no key.
 */
export function serveOpenApi(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'Complaint handling — partner API',
    swaggerOptions: { persistAuthorization: true },
  });
}
