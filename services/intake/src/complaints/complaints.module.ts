import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { DirectoryModule } from '../directory/directory.module';
import { TimelineModule } from '../timeline/timeline.module';
import {
  ComplaintRecord,
  ComplaintSchema,
  IdempotencyRecord,
  IdempotencySchema,
  MaintenanceState,
  MaintenanceStateSchema,
  NumberClaim,
  NumberClaimSchema,
  NumberCounter,
  NumberCounterSchema,
  PendingEventRecord,
  PendingEventSchema,
  RetentionHour,
  RetentionHourSchema,
} from './complaint.schema';
import { MaintenanceStates } from './maintenance-state';
import { AnnouncedChange } from './announced-change';
import { PendingOutbox } from './pending-outbox';
import { RetentionSchedule } from './retention-schedule';
import { ComplaintEventsConsumer } from './events.consumer';
import { ComplaintsGrpcController } from './complaints.grpc.controller';
import { ComplaintsRepository } from './complaints.repository';
import { OutboxRelay } from './outbox-relay';
import { ChangeComplaint } from './use-cases/change-complaint';
import { RecordStaffConsequence } from './use-cases/record-staff-consequence';
import { CorrectComplaint } from './use-cases/correct-complaint';
import { FindForComplainant } from './use-cases/find-for-complainant';
import { GetComplaint } from './use-cases/get-complaint';
import { ListComplaints } from './use-cases/list-complaints';
import { RecordSpotCheck } from './use-cases/record-spot-check';
import { RegisterComplaint } from './use-cases/register-complaint';
import { keyRingProvider, PersonalDataVault } from '../personal-data/personal-data-vault';
import { PersonalDataKeyRing } from '../personal-data/key-ring';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: ComplaintRecord.name, schema: ComplaintSchema },
      { name: NumberCounter.name, schema: NumberCounterSchema },
      { name: NumberClaim.name, schema: NumberClaimSchema },
      { name: IdempotencyRecord.name, schema: IdempotencySchema },
      { name: PendingEventRecord.name, schema: PendingEventSchema },
      { name: RetentionHour.name, schema: RetentionHourSchema },
      { name: MaintenanceState.name, schema: MaintenanceStateSchema },
    ]),
    DirectoryModule,
    TimelineModule,
  ],
  controllers: [ComplaintsGrpcController],
  providers: [
    ComplaintsRepository,
    PendingOutbox,
    AnnouncedChange,
    MaintenanceStates,
    RetentionSchedule,
    RegisterComplaint,
    RecordSpotCheck,
    GetComplaint,
    FindForComplainant,
    ListComplaints,
    ChangeComplaint,
    CorrectComplaint,
    RecordStaffConsequence,
    OutboxRelay,
    ComplaintEventsConsumer,
    keyRingProvider,
    PersonalDataVault,
  ],
  exports: [
    ComplaintsRepository,
    PendingOutbox,
    AnnouncedChange,
    MaintenanceStates,
    RetentionSchedule,
    PersonalDataKeyRing,
    PersonalDataVault,
  ],
})
export class ComplaintsModule {}
