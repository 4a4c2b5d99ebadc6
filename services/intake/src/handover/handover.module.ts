import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ComplaintsModule } from '../complaints/complaints.module';
import { DirectoryModule } from '../directory/directory.module';
import { HandoverGrpcController } from './handover.grpc.controller';
import { HandoverRepository } from './handover.repository';
import {
  HandoverClaimRecord,
  HandoverClaimSchema,
  HandoverEntryRecord,
  HandoverEntrySchema,
  HandoverHeadRecord,
  HandoverHeadSchema,
  LedgerDayRecord,
  LedgerDaySchema,
  LedgerMonthRecord,
  LedgerMonthSchema,
} from './handover.schema';
import { HandoverEvents } from './handover-events';
import { OpenComplaints } from './open-complaints';
import { HandoverBook } from './use-cases/handover-book';
import { Ledger } from './use-cases/ledger';

/** The desk's handover book and work ledger (交接班本, 工作台帐). */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: HandoverEntryRecord.name, schema: HandoverEntrySchema },
      { name: LedgerDayRecord.name, schema: LedgerDaySchema },
      { name: LedgerMonthRecord.name, schema: LedgerMonthSchema },
      { name: HandoverHeadRecord.name, schema: HandoverHeadSchema },
      { name: HandoverClaimRecord.name, schema: HandoverClaimSchema },
    ]),
    ComplaintsModule,
    DirectoryModule,
  ],
  controllers: [HandoverGrpcController],
  providers: [HandoverRepository, HandoverBook, Ledger, OpenComplaints, HandoverEvents],
})
export class HandoverModule {}
