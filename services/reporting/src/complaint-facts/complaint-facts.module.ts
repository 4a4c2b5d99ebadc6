import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ComplaintFacts, ComplaintFactsSchema } from './complaint-facts.schema';
import { ComplaintFactsRepository } from './complaint-facts.repository';
import { EventsConsumer } from './events.consumer';
import { ReportingGrpcController } from './reporting.grpc.controller';

@Module({
  imports: [MongooseModule.forFeature([{ name: ComplaintFacts.name, schema: ComplaintFactsSchema }])],
  controllers: [ReportingGrpcController],
  providers: [ComplaintFactsRepository, EventsConsumer],
})
export class ComplaintFactsModule {}
