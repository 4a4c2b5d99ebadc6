import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AssignComplaint } from '../assignment/assign-complaint';
import { directoryClientProvider } from '../assignment/directory.client';
import { FindCase } from '../collective/find-case';
import { IntakeClient } from '../collective/intake.client';
import { MergeByHand } from '../collective/merge-by-hand';
import { ComplainantHistories } from '../keyed/complainant-histories';
import { HandlerLoads } from '../keyed/handler-loads';
import { KeyedDocuments } from '../keyed/keyed-documents';
import {
  ComplainantHistory,
  ComplainantHistorySchema,
  HandlerLoad,
  HandlerLoadSchema,
  OpenCases,
  OpenCasesSchema,
} from '../keyed/keyed.schema';
import { OpenCasesLists } from '../keyed/open-cases';
import { Decision, DecisionSchema, RoutingSettings, RoutingSettingsSchema } from './decision.schema';
import { DecisionsRepository } from './decisions.repository';
import { RoutingSettingsRepository } from './routing-settings';
import { RoutingEventsConsumer } from './routing-events.consumer';
import { RoutingGrpcController } from './routing.grpc.controller';
import { CloseAndErase } from './use-cases/close-and-erase';
import { OverrideDecision } from './use-cases/override-decision';
import { RouteComplaint } from './use-cases/route-complaint';
import { PersonalDataClient } from '@complaints/service-kit';
import { RoutingConfig } from '../config';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Decision.name, schema: DecisionSchema },
      { name: RoutingSettings.name, schema: RoutingSettingsSchema },
      { name: ComplainantHistory.name, schema: ComplainantHistorySchema },
      { name: OpenCases.name, schema: OpenCasesSchema },
      { name: HandlerLoad.name, schema: HandlerLoadSchema },
    ]),
  ],
  controllers: [RoutingGrpcController],
  providers: [
    DecisionsRepository,
    RoutingSettingsRepository,
    ComplainantHistories,
    OpenCasesLists,
    HandlerLoads,
    KeyedDocuments,
    CloseAndErase,
    directoryClientProvider,
    AssignComplaint,
    IntakeClient,
    {
      provide: PersonalDataClient,
      inject: [RoutingConfig],
      useFactory: (config: RoutingConfig) => new PersonalDataClient(config.intake),
    },
    FindCase,
    RouteComplaint,
    OverrideDecision,
    MergeByHand,
    RoutingEventsConsumer,
  ],
})
export class ClassificationModule {}
