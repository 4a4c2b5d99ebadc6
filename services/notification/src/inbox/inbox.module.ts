import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { EventsConsumer } from './events.consumer';
import { NotificationGrpcController } from './notification.grpc.controller';
import { ReceivedEvent, ReceivedEventSchema } from './received-event.schema';
import { ReceivedEventsRepository } from './received-events.repository';

@Module({
  imports: [MongooseModule.forFeature([{ name: ReceivedEvent.name, schema: ReceivedEventSchema }])],
  controllers: [NotificationGrpcController],
  providers: [ReceivedEventsRepository, EventsConsumer],
})
export class InboxModule {}
