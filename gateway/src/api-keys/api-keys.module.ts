import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ApiKeyRecord, ApiKeySchema } from './api-key.schema';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysRepository } from './api-keys.repository';
import { AuthenticateApiKey } from './use-cases/authenticate-api-key';
import { CreateApiKey } from './use-cases/create-api-key';
import { EnsureBootstrapKey } from './use-cases/ensure-bootstrap-key';
import { ListApiKeys } from './use-cases/list-api-keys';
import { RevokeApiKey } from './use-cases/revoke-api-key';

/** Partner credentials: stored in the gateway's own database, managed by admin keys. */
@Module({
  imports: [MongooseModule.forFeature([{ name: ApiKeyRecord.name, schema: ApiKeySchema }])],
  controllers: [ApiKeysController],
  providers: [ApiKeysRepository, AuthenticateApiKey, CreateApiKey, ListApiKeys, RevokeApiKey, EnsureBootstrapKey],
  exports: [AuthenticateApiKey, ApiKeysRepository],
})
export class ApiKeysModule {}
