import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import type { v1 } from '@complaints/contracts';
import { GatewayConfig } from '../config';
import { EscalationClient, IntakeClient } from '../grpc/grpc-clients';
import { ZodBody } from '../problems/zod-body.pipe';
import { registerComplaintBody, type RegisterComplaintBody } from './register-complaint.body';

@Controller('v1/complaints')
export class ComplaintsController {
  constructor(
    private readonly intake: IntakeClient,
    private readonly escalation: EscalationClient,
    private readonly config: GatewayConfig,
  ) {}

  @Post()
  @HttpCode(201)
  async register(@Body(new ZodBody(registerComplaintBody)) body: RegisterComplaintBody) {
    const { complaint } = await this.intake.call.registerComplaint({
      ...body,
      groupId: this.config.defaultGroupId,
      receivedAt: body.receivedAt ?? new Date().toISOString(),
      categoryHint: body.categoryHint ?? '',
      severityHint: body.severityHint ?? '',
    });
    if (!complaint) throw new Error('intake answered without a complaint');
    return { id: complaint.id, number: complaint.number, status: complaint.status };
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    const groupId = this.config.defaultGroupId;
    const [{ complaint }, lifecycle] = await Promise.all([
      this.intake.call.getComplaint({ groupId, complaintId: id }),
      this.escalation.call.getLifecycle({ groupId, complaintId: id }),
    ]);
    if (!complaint) throw new Error('intake answered without a complaint');
    return toComplaintView(complaint, lifecycle);
  }
}

/** Before its lifecycle starts (routing pending) the complaint's own status is the answer. */
function toComplaintView(complaint: v1.Complaint, lifecycle: v1.GetLifecycleResponse) {
  return {
    id: complaint.id,
    number: complaint.number,
    status: lifecycle.started ? lifecycle.status : complaint.status,
    propertyId: complaint.propertyId,
    channel: complaint.channel,
    receivedAt: complaint.receivedAt,
    registeredAt: complaint.registeredAt,
    location: complaint.location,
    description: complaint.description,
    demand: complaint.demand,
    language: complaint.language,
    lifecycle: lifecycle.started
      ? {
          status: lifecycle.status,
          severity: lifecycle.severity,
          level: lifecycle.level,
          deadlines: Object.fromEntries(
            lifecycle.deadlines.map((deadline) => [
              deadline.name,
              { dueAt: deadline.dueAt, met: deadline.met, breached: deadline.breached },
            ]),
          ),
        }
      : null,
  };
}
