import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { Audited } from '../audit/audited.decorator';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/admin-only.decorator';
import { Caller } from '../auth/caller';
import { ApiProblems } from '../openapi/problem-responses';
import { ApiZodBody, ApiZodResponse } from '../openapi/zod-schemas';
import { ZodBody } from '../problems/zod-body.pipe';
import {
  apiKeyList,
  createApiKeyBody,
  createdApiKeyView,
  toApiKeyView,
  type ApiKeyView,
  type CreateApiKeyBody,
  type CreatedApiKeyView,
} from './api-key.views';
import { CreateApiKey } from './use-cases/create-api-key';
import { ListApiKeys } from './use-cases/list-api-keys';
import { RevokeApiKey } from './use-cases/revoke-api-key';

/**
 * Admin keys (and group headquarters) manage the keys of their own group; nothing here crosses
 * groups. An admin key limited to properties manages only keys limited to some of its properties
 * (key-scope.ts), and no key revokes the keys it descends from.
 */
@ApiTags('api keys')
@AdminOnly('manage_api_keys', { perProperty: true })
@Controller('v1/admin/api-keys')
export class ApiKeysController {
  constructor(
    private readonly createKey: CreateApiKey,
    private readonly listKeys: ListApiKeys,
    private readonly revokeKey: RevokeApiKey,
  ) {}

  @Post()
  @Audited('api_key')
  @HttpCode(201)
  @ApiOperation({ summary: 'Create an API key for the group; its secret is in this answer only' })
  @ApiZodBody('CreateApiKey', createApiKeyBody)
  @ApiZodResponse(201, 'CreatedApiKey', createdApiKeyView, 'Created. Store `secret` now: it is never shown again.')
  async create(
    @Caller() caller: Caller,
    @Body(new ZodBody(createApiKeyBody)) body: CreateApiKeyBody,
  ): Promise<CreatedApiKeyView> {
    const { record, apiKey } = await this.createKey.execute(caller, body);
    return { ...toApiKeyView(record), secret: apiKey };
  }

  @Get()
  @ApiOperation({ summary: 'List the API keys of the group, revoked ones included (never their secrets)' })
  @ApiZodResponse(200, 'ApiKeyList', apiKeyList, 'The keys, oldest first.')
  async list(@Caller() caller: Caller): Promise<{ items: ApiKeyView[] }> {
    return { items: (await this.listKeys.execute(caller)).map(toApiKeyView) };
  }

  @Delete(':id')
  @Audited<ApiKeysController>(
    'api_key',
    async (c, caller, p) => (await c.list(caller)).items.find((key) => key.id === p.id) ?? null,
  )
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key; it is refused from the next request on' })
  @ApiNoContentResponse({ description: 'Revoked (or already was).' })
  @ApiProblems('not-found')
  async revoke(@Caller() caller: Caller, @Param('id') id: string): Promise<void> {
    await this.revokeKey.execute(caller, id);
  }
}
