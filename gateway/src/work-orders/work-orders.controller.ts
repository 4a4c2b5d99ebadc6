import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { v1 } from '@complaints/contracts';
import { z } from 'zod';
import { NotFoundError } from '@complaints/service-kit';
import { enforce } from '../access/enforce';
import { decide, listScope } from '../access/policy';
import { Caller, callerActor } from '../auth/caller';
import { StaffDirectory } from '../auth/staff-directory';
import { ComplaintScope } from '../complaints/complaint-scope';
import { WorkOrderClient, WorkOrderDeadlineClient } from '../grpc/grpc-clients';
import { ApiProblems } from '../openapi/problem-responses';
import { ApiZodBody, ApiZodQuery, ApiZodResponse } from '../openapi/zod-schemas';
import { ValidationProblem } from '../problems/errors';
import { ZodBody } from '../problems/zod-body.pipe';
import { decideWorkOrder, type WorkOrderAction } from './work-order-access';
import {
  arriveBody,
  completeBody,
  confirmBody,
  dispatchBody,
  listWorkOrdersQuery,
  raiseFromComplaintBody,
  raiseWorkOrderBody,
  type ListWorkOrdersQuery,
  type RaiseFromComplaintBody,
  type RaiseWorkOrderBody,
} from './work-order.body';
import { toWorkOrderView, workOrderView } from './work-order.view';
import { WorkOrderWait } from './work-order-wait';

const page = z.object({ items: z.array(workOrderView), nextCursor: z.string().nullable() });

/** Repair work orders (报修): raised on their own or from a complaint, dispatched, worked and confirmed. */
@ApiTags('work-orders')
@Controller('v1')
export class WorkOrdersController {
  constructor(
    private readonly workOrders: WorkOrderClient,
    private readonly deadlines: WorkOrderDeadlineClient,
    private readonly scope: ComplaintScope,
    private readonly directory: StaffDirectory,
    private readonly wait: WorkOrderWait,
  ) {}

  @Post('work-orders')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Raise a repair work order (报修) at a property of the caller, by phone, at the desk or online',
  })
  @ApiZodBody('RaiseWorkOrder', raiseWorkOrderBody)
  @ApiZodResponse(201, 'WorkOrder', workOrderView, 'Raised, with its number and its arrive-by and complete-by times.')
  @ApiProblems('conflict')
  async raise(@Caller() caller: Caller, @Body(new ZodBody(raiseWorkOrderBody)) body: RaiseWorkOrderBody) {
    if (!body.propertyId) throw new ValidationProblem([{ name: 'propertyId', reason: 'is required' }]);
    const regionId = await this.directory.regionOf(caller.groupId, body.propertyId);
    const place = { kind: 'property' as const, id: body.propertyId, regionId };
    if (!regionId || decide(caller, 'view', place).outcome !== 'allowed') {
      throw new ValidationProblem([{ name: 'propertyId', reason: 'is not a property within your scope' }]);
    }
    return toWorkOrderView(await this.raiseWith(caller, regionId, { ...body, propertyId: body.propertyId }));
  }

  @Post('complaints/:id/work-orders')
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Raise a repair work order from a complaint (its property and location by default); the complaint may wait on it, its deadlines paused until the work order is completed',
  })
  @ApiZodBody('RaiseWorkOrderFromComplaint', raiseFromComplaintBody)
  @ApiZodResponse(201, 'WorkOrder', workOrderView, 'Raised and linked to the complaint.')
  @ApiProblems('conflict', 'forbidden')
  async raiseFromComplaint(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(raiseFromComplaintBody)) body: RaiseFromComplaintBody,
  ) {
    const complaint = await this.scope.complaintFor(caller, id, 'act');
    if (body.propertyId && body.propertyId !== complaint.propertyId) {
      throw new ValidationProblem([{ name: 'propertyId', reason: 'must be the complaint’s property (or left out)' }]);
    }
    const { waitForIt, ...fields } = body;
    if (waitForIt) await this.wait.check(caller, complaint);
    const order = await this.raiseWith(caller, complaint.regionId, {
      ...fields,
      propertyId: complaint.propertyId,
      location: fields.location || complaint.location.slice(0, 200),
      channel: 'complaint',
      complaintId: id,
      complaintWaits: waitForIt,
    });
    if (waitForIt) await this.wait.start(caller, complaint, order);
    return toWorkOrderView(order);
  }

  @Get('complaints/:id/work-orders')
  @ApiOperation({ summary: 'The work orders raised from a complaint, oldest first' })
  @ApiZodResponse(200, 'ComplaintWorkOrders', z.object({ items: z.array(workOrderView) }), 'Its work orders.')
  async ofComplaint(@Caller() caller: Caller, @Param('id') id: string) {
    await this.scope.complaintFor(caller, id);
    const { workOrders } = await this.workOrders.call.listComplaintWorkOrders({
      groupId: caller.groupId,
      complaintId: id,
    });
    return { items: workOrders.map((order) => toWorkOrderView(order)) };
  }

  @Get('work-orders')
  @ApiOperation({ summary: 'The work orders within the caller’s scope, newest first, a page at a time' })
  @ApiZodQuery(listWorkOrdersQuery)
  @ApiZodResponse(
    200,
    'WorkOrderPage',
    page,
    'A page of work orders and the cursor of the next one (null on the last).',
  )
  async list(@Caller() caller: Caller, @Query(new ZodBody(listWorkOrdersQuery)) query: ListWorkOrdersQuery) {
    const scope = listScope(caller);
    const assigneeId =
      query.assignedTo === 'me' ? (caller.kind === 'staff' ? caller.staffId : '') : (query.assignedTo ?? '');
    if (query.assignedTo === 'me' && caller.kind !== 'staff') {
      throw new ValidationProblem([{ name: 'assignedTo', reason: '`me` is for signed-in staff; name a staff id' }]);
    }
    const result = await this.workOrders.call.listWorkOrders({
      groupId: caller.groupId,
      propertyScope: scope.propertyScope,
      regionScope: scope.regionScope,
      propertyIds: query.propertyId,
      statuses: query.status,
      trades: query.trade,
      assigneeId,
      overdueOnly: query.overdue === 'true',
      cursor: query.cursor ?? '',
      limit: query.limit,
    });
    return { items: result.workOrders.map((order) => toWorkOrderView(order)), nextCursor: result.nextCursor || null };
  }

  @Get('work-orders/:id')
  @ApiOperation({ summary: 'A work order' })
  @ApiZodResponse(200, 'WorkOrder', workOrderView, 'The work order.')
  async get(@Caller() caller: Caller, @Param('id') id: string) {
    return toWorkOrderView(await this.workOrderFor(caller, id, 'view'));
  }

  @Post('work-orders/:id/dispatch')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Dispatch (派工) to a named staff member, or by the rule: staff of the property on duty who do the trade, else its engineering department, the fewest open work orders first',
  })
  @ApiZodBody('DispatchWorkOrder', dispatchBody)
  @ApiZodResponse(200, 'WorkOrder', workOrderView, 'Dispatched.')
  @ApiProblems('conflict', 'forbidden')
  async dispatch(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(dispatchBody)) body: z.infer<typeof dispatchBody>,
  ) {
    await this.workOrderFor(caller, id, 'work');
    const { workOrder } = await this.workOrders.call.dispatchWorkOrder({
      groupId: caller.groupId,
      workOrderId: id,
      staffId: body.staffId ?? '',
      actor: callerActor(caller),
      note: '',
    });
    return this.view(workOrder);
  }

  @Post('work-orders/:id/arrive')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record that maintenance got there' })
  @ApiZodBody('WorkOrderArrival', arriveBody)
  @ApiZodResponse(200, 'WorkOrder', workOrderView, 'Arrived.')
  @ApiProblems('conflict', 'forbidden')
  async arrive(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(arriveBody)) body: z.infer<typeof arriveBody>,
  ) {
    await this.workOrderFor(caller, id, 'work');
    const { workOrder } = await this.workOrders.call.recordArrival({
      groupId: caller.groupId,
      workOrderId: id,
      actor: callerActor(caller),
      arrivedAt: body.arrivedAt ?? '',
    });
    return this.view(workOrder);
  }

  @Post('work-orders/:id/complete')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Record the work done, the materials used and photos; a complaint waiting on this work order goes back to work',
  })
  @ApiZodBody('CompleteWorkOrder', completeBody)
  @ApiZodResponse(200, 'WorkOrder', workOrderView, 'Completed, waiting for the requester’s confirmation.')
  @ApiProblems('conflict', 'forbidden')
  async complete(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(completeBody)) body: z.infer<typeof completeBody>,
  ) {
    await this.workOrderFor(caller, id, 'work');
    const { workOrder } = await this.workOrders.call.completeWorkOrder({
      groupId: caller.groupId,
      workOrderId: id,
      actor: callerActor(caller),
      ...body,
    });
    if (!workOrder) throw new Error('intake answered without the work order');
    await this.wait.end(caller, workOrder);
    return toWorkOrderView(workOrder);
  }

  @Post('work-orders/:id/confirm')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Record the requester’s confirmation and rating (1–5); not fixed sends it back to its assignee for rework',
  })
  @ApiZodBody('ConfirmWorkOrder', confirmBody)
  @ApiZodResponse(200, 'WorkOrder', workOrderView, 'Confirmed, or back to rework.')
  @ApiProblems('conflict', 'forbidden')
  async confirm(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(confirmBody)) body: z.infer<typeof confirmBody>,
  ) {
    await this.workOrderFor(caller, id, 'work');
    const { workOrder } = await this.workOrders.call.confirmWorkOrder({
      groupId: caller.groupId,
      workOrderId: id,
      actor: callerActor(caller),
      ...body,
    });
    return this.view(workOrder);
  }

  private view(order: v1.WorkOrder | undefined) {
    if (!order) throw new Error('intake answered without the work order');
    return toWorkOrderView(order);
  }

  /** The work order, if the caller may do `action` on it: one it may not see does not exist (404). */
  private async workOrderFor(caller: Caller, id: string, action: WorkOrderAction): Promise<v1.WorkOrder> {
    const { workOrder } = await this.workOrders.call.getWorkOrder({ groupId: caller.groupId, workOrderId: id });
    if (!workOrder) throw new NotFoundError(`work order ${id}`);
    enforce(decideWorkOrder(caller, action, workOrder), `work order ${id}`);
    return workOrder;
  }

  /** Times first, then the work order: a stored work order always has its timer running. */
  private async raiseWith(
    caller: Caller,
    regionId: string,
    body: Omit<RaiseWorkOrderBody, 'channel' | 'propertyId'> & {
      propertyId: string;
      channel: string;
      complaintId?: string;
      complaintWaits?: boolean;
    },
  ): Promise<v1.WorkOrder> {
    // Refused here rather than by intake after the timer started (that timer would find nothing and end).
    if (!body.location) {
      throw new ValidationProblem([{ name: 'location', reason: 'is required: the unit or place to repair' }]);
    }
    const id = randomUUID();
    const plan = await this.deadlines.call.planWorkOrder({
      groupId: caller.groupId,
      regionId,
      propertyId: body.propertyId,
      workOrderId: id,
      urgency: body.urgency,
    });
    const { workOrder } = await this.workOrders.call.raiseWorkOrder({
      groupId: caller.groupId,
      id,
      propertyId: body.propertyId,
      location: body.location,
      trade: body.trade,
      urgency: body.urgency,
      description: body.description,
      channel: body.channel,
      complaintId: body.complaintId ?? '',
      requester: body.requester,
      actor: callerActor(caller),
      raisedAt: plan.raisedAt,
      arriveBy: plan.arriveBy,
      completeBy: plan.completeBy,
      complaintWaits: body.complaintWaits ?? false,
    });
    if (!workOrder) throw new Error('intake answered without the work order');
    return workOrder;
  }
}
