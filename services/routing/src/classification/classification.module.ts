import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { Decision, DecisionSchema } from './decision.schema';
import { DecisionsRepository } from './decisions.repository';
import { RegisteredConsumer } from './registered.consumer';
import { RoutingGrpcController } from './routing.grpc.controller';
import { RouteComplaint } from './use-cases/route-complaint';

@Module({
  imports: [MongooseModule.forFeature([{ name: Decision.name, schema: DecisionSchema }])],
  controllers: [RoutingGrpcController],
  providers: [DecisionsRepository, RouteComplaint, RegisteredConsumer],
})
export class ClassificationModule {}
