import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ComplaintsModule } from '../complaints/complaints.module';
import { TimelineModule } from '../timeline/timeline.module';
import {
  AccessLogRecord,
  AccessLogSchema,
  ErasureConfirmationRecord,
  ErasureConfirmationSchema,
  ErasureRequestRecord,
  ErasureRequestSchema,
} from './personal-data.schema';
import { PersonalDataGrpcController } from './personal-data.grpc.controller';
import { PersonalDataRepository } from './personal-data.repository';
import { PersonalDataScheduler } from './personal-data.scheduler';
import { ErasePersonalData, RequestErasure } from './use-cases/erase-personal-data';
import { MaintainPersonalData } from './use-cases/maintain-personal-data';
import { RevealPersonalData } from './use-cases/reveal-personal-data';

/** The complainant's personal data: reveal and access log, erasure requests, retention, key rotation. */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: AccessLogRecord.name, schema: AccessLogSchema },
      { name: ErasureRequestRecord.name, schema: ErasureRequestSchema },
      { name: ErasureConfirmationRecord.name, schema: ErasureConfirmationSchema },
    ]),
    ComplaintsModule,
    TimelineModule,
  ],
  controllers: [PersonalDataGrpcController],
  providers: [
    PersonalDataRepository,
    RevealPersonalData,
    ErasePersonalData,
    RequestErasure,
    MaintainPersonalData,
    PersonalDataScheduler,
  ],
})
export class PersonalDataModule {}
