import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { IntakeConfig } from '../config';
import { TimelineSeal } from './hash-chain';
import { TimelineRepository } from './timeline.repository';
import { TimelineEntryRecord, TimelineEntrySchema } from './timeline.schema';
import { ReadTimeline } from './use-cases/read-timeline';

@Module({
  imports: [MongooseModule.forFeature([{ name: TimelineEntryRecord.name, schema: TimelineEntrySchema }])],
  providers: [
    {
      provide: TimelineSeal,
      inject: [IntakeConfig],
      useFactory: (config: IntakeConfig) => new TimelineSeal(config.timelineKeys),
    },
    TimelineRepository,
    ReadTimeline,
  ],
  exports: [TimelineRepository, ReadTimeline],
})
export class TimelineModule {}
