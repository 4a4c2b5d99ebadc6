import { Controller } from '@nestjs/common';
import { v1 } from '@complaints/contracts';
import { ReceivedEventsRepository } from './received-events.repository';

@Controller()
@v1.NotificationServiceControllerMethods()
export class NotificationGrpcController implements v1.NotificationServiceController {
  constructor(private readonly received: ReceivedEventsRepository) {}

  async listReceivedEvents(request: v1.ListReceivedEventsRequest): Promise<v1.ListReceivedEventsResponse> {
    const events = await this.received.listForComplaint(request.groupId, request.complaintId);
    return {
      events: events.map((event) => ({
        eventId: event._id,
        type: event.type,
        occurredAt: event.occurredAt.toISOString(),
        receivedAt: event.receivedAt.toISOString(),
      })),
    };
  }
}
