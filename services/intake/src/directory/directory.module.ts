import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { DirectoryGrpcController } from './directory.grpc.controller';
import { DirectoryRepository } from './directory.repository';
import {
  Department,
  DepartmentSchema,
  Property,
  PropertySchema,
  Region,
  RegionSchema,
  StaffMember,
  StaffMemberSchema,
} from './directory.schema';
import { DirectorySeedLoader } from './directory-seed.loader';
import { ManageDirectory } from './use-cases/manage-directory';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Region.name, schema: RegionSchema },
      { name: Property.name, schema: PropertySchema },
      { name: Department.name, schema: DepartmentSchema },
      { name: StaffMember.name, schema: StaffMemberSchema },
    ]),
  ],
  controllers: [DirectoryGrpcController],
  providers: [DirectoryRepository, ManageDirectory, DirectorySeedLoader],
  exports: [ManageDirectory],
})
export class DirectoryModule {}
