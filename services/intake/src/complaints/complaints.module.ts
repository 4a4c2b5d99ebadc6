import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import {
  ComplaintRecord,
  ComplaintSchema,
  NumberClaim,
  NumberClaimSchema,
  NumberCounter,
  NumberCounterSchema,
} from './complaint.schema';
import { ComplaintsGrpcController } from './complaints.grpc.controller';
import { ComplaintsRepository } from './complaints.repository';
import { OutboxRelay } from './outbox-relay';
import { GetComplaint } from './use-cases/get-complaint';
import { RegisterComplaint } from './use-cases/register-complaint';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: ComplaintRecord.name, schema: ComplaintSchema },
      { name: NumberCounter.name, schema: NumberCounterSchema },
      { name: NumberClaim.name, schema: NumberClaimSchema },
    ]),
  ],
  controllers: [ComplaintsGrpcController],
  providers: [ComplaintsRepository, RegisterComplaint, GetComplaint, OutboxRelay],
})
export class ComplaintsModule {}
