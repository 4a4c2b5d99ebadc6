import { Controller } from '@nestjs/common';
import { v1 } from '@complaints/contracts';
import { actorOf, actorToProto } from '@complaints/service-kit';
import type { WorkOrderRecord } from './work-order.schema';
import { WorkOrders } from './use-cases/work-orders';

const iso = (date: Date | null) => (date ? date.toISOString() : '');
const dateOf = (value: string) => (value ? new Date(value) : new Date(NaN));

export function toProtoWorkOrder(record: WorkOrderRecord): v1.WorkOrder {
  return {
    id: record._id,
    groupId: record.groupId,
    number: record.number,
    propertyId: record.propertyId,
    regionId: record.regionId,
    location: record.location,
    trade: record.trade,
    urgency: record.urgency,
    description: record.description,
    channel: record.channel,
    complaintId: record.complaintId,
    complaintNumber: record.complaintNumber,
    requester: record.requester,
    status: record.status,
    raisedAt: iso(record.raisedAt),
    raisedBy: actorToProto(record.raisedBy),
    arriveBy: iso(record.arriveBy),
    completeBy: iso(record.completeBy),
    arrivalOverdue: record.arrivalOverdue,
    completionOverdue: record.completionOverdue,
    assigneeId: record.assigneeId,
    assigneeName: record.assigneeName,
    dispatchedAt: iso(record.dispatchedAt),
    dispatchedBy: record.dispatchedBy ? actorToProto(record.dispatchedBy) : undefined,
    dispatchedByRule: record.dispatchedByRule,
    arrivedAt: iso(record.arrivedAt),
    completedAt: iso(record.completedAt),
    workDone: record.workDone,
    materials: record.materials,
    photos: record.photos,
    confirmedAt: iso(record.confirmedAt),
    rating: record.rating,
    feedback: record.feedback,
    repeatOfId: record.repeatOfId,
    repeatOfNumber: record.repeatOfNumber,
    complaintWaits: record.complaintWaits,
    reworks: record.reworks,
  };
}

@Controller()
@v1.WorkOrderServiceControllerMethods()
export class WorkOrdersGrpcController implements v1.WorkOrderServiceController {
  constructor(private readonly workOrders: WorkOrders) {}

  async raiseWorkOrder(request: v1.RaiseWorkOrderRequest): Promise<v1.RaiseWorkOrderResponse> {
    const record = await this.workOrders.raise({
      ...request,
      actor: actorOf(request.actor),
      raisedAt: dateOf(request.raisedAt),
      arriveBy: dateOf(request.arriveBy),
      completeBy: dateOf(request.completeBy),
    });
    return { workOrder: toProtoWorkOrder(record) };
  }

  async getWorkOrder(request: v1.GetWorkOrderRequest): Promise<v1.GetWorkOrderResponse> {
    return { workOrder: toProtoWorkOrder(await this.workOrders.get(request.groupId, request.workOrderId)) };
  }

  async listWorkOrders(request: v1.ListWorkOrdersRequest): Promise<v1.ListWorkOrdersResponse> {
    const { groupId, cursor, limit, ...filter } = request;
    const page = await this.workOrders.list(groupId, filter, { cursor, limit });
    return { workOrders: page.items.map(toProtoWorkOrder), nextCursor: page.nextCursor };
  }

  async listComplaintWorkOrders(
    request: v1.ListComplaintWorkOrdersRequest,
  ): Promise<v1.ListComplaintWorkOrdersResponse> {
    const records = await this.workOrders.ofComplaint(request.groupId, request.complaintId);
    return { workOrders: records.map(toProtoWorkOrder) };
  }

  async dispatchWorkOrder(request: v1.DispatchWorkOrderRequest): Promise<v1.DispatchWorkOrderResponse> {
    const record = await this.workOrders.dispatch(
      request.groupId,
      request.workOrderId,
      request.staffId,
      actorOf(request.actor),
    );
    return { workOrder: toProtoWorkOrder(record) };
  }

  async recordArrival(request: v1.RecordArrivalRequest): Promise<v1.RecordArrivalResponse> {
    const record = await this.workOrders.arrive(
      request.groupId,
      request.workOrderId,
      actorOf(request.actor),
      request.arrivedAt ? new Date(request.arrivedAt) : undefined,
    );
    return { workOrder: toProtoWorkOrder(record) };
  }

  async completeWorkOrder(request: v1.CompleteWorkOrderRequest): Promise<v1.CompleteWorkOrderResponse> {
    const record = await this.workOrders.complete(request.groupId, request.workOrderId, actorOf(request.actor), {
      workDone: request.workDone,
      materials: request.materials,
      photos: request.photos,
    });
    return { workOrder: toProtoWorkOrder(record) };
  }

  async confirmWorkOrder(request: v1.ConfirmWorkOrderRequest): Promise<v1.ConfirmWorkOrderResponse> {
    const record = await this.workOrders.confirm(request.groupId, request.workOrderId, actorOf(request.actor), {
      fixed: request.fixed,
      rating: request.rating,
      feedback: request.feedback,
    });
    return { workOrder: toProtoWorkOrder(record) };
  }

  async markWorkOrderOverdue(request: v1.MarkWorkOrderOverdueRequest): Promise<v1.MarkWorkOrderOverdueResponse> {
    const record = await this.workOrders.markOverdue(request.groupId, request.workOrderId, request.stage);
    return { workOrder: toProtoWorkOrder(record) };
  }
}
