import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { PoliciesRepository } from './policies.repository';
import { CalendarDocument, CalendarSchema, PolicyDocument, PolicySchema } from './policy.schema';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: PolicyDocument.name, schema: PolicySchema },
      { name: CalendarDocument.name, schema: CalendarSchema },
    ]),
  ],
  providers: [PoliciesRepository],
  exports: [PoliciesRepository],
})
export class PoliciesModule {}
