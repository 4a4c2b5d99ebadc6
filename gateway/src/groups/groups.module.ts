import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { GroupRecord, GroupSchema } from './group.schema';
import { GroupsRepository } from './groups.repository';
import { PlatformGroupsController } from './platform-groups.controller';
import { PlatformOperatorGuard } from './platform-operator.guard';
import { EnsureEnvironmentGroups } from './use-cases/ensure-environment-groups';
import { ManageGroups } from './use-cases/manage-groups';

/** The groups the platform serves, managed by the platform operator; stored in the gateway's database. */
@Module({
  imports: [MongooseModule.forFeature([{ name: GroupRecord.name, schema: GroupSchema }]), ApiKeysModule],
  controllers: [PlatformGroupsController],
  providers: [GroupsRepository, ManageGroups, EnsureEnvironmentGroups, PlatformOperatorGuard],
  exports: [GroupsRepository],
})
export class GroupsModule {}
