import { createHash } from 'node:crypto';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { v1 } from '@complaints/contracts';
import type { Response } from 'express';
import { z } from 'zod';
import { decide, listScope } from '../access/policy';
import { Caller, callerActor, callerId } from '../auth/caller';
import { StaffDirectory } from '../auth/staff-directory';
import { EscalationClient, IntakeClient, ReportingClient } from '../grpc/grpc-clients';
import { ApiProblems } from '../openapi/problem-responses';
import { ApiZodBody, ApiZodQuery, ApiZodResponse } from '../openapi/zod-schemas';
import { ForbiddenError, ValidationProblem } from '../problems/errors';
import { ZodBody } from '../problems/zod-body.pipe';
import { ComplaintScope } from './complaint-scope';
import { ledgerTable, MAX_LEDGER_ROWS } from './ledger';
import { queueFilterOf } from './queues';
import { sendFile } from '../reports/reports.controller';
import { toComplaintView, toTimelineEntryView } from './complaint.view';
import {
  addNoteBody,
  correctionBody,
  type CorrectionBody,
  exportComplaintsQuery,
  type ExportComplaintsQuery,
  listComplaintsQuery,
  timelineQuery,
  type TimelineQuery,
  registerComplaintBody,
  withdrawBody,
  type ListComplaintsQuery,
  type RegisterComplaintBody,
} from './register-complaint.body';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

@ApiTags('complaints')
@Controller('v1/complaints')
export class ComplaintsController {
  constructor(
    private readonly intake: IntakeClient,
    private readonly escalation: EscalationClient,
    private readonly scope: ComplaintScope,
    private readonly directory: StaffDirectory,
    private readonly reporting: ReportingClient,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Register a complaint (SPEC §2) at a property of the key' })
  @ApiZodBody('RegisterComplaint', registerComplaintBody)
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Makes a retried registration safe: the same key and body answer the first registration again ' +
      '(with `Idempotent-Replayed: true`); the same key with another body is a 409.',
    schema: { type: 'string', pattern: IDEMPOTENCY_KEY.source },
  })
  @ApiZodResponse(
    201,
    'RegisteredComplaint',
    z.object({ id: z.string(), number: z.string(), status: z.string() }),
    'Registered (or, with a repeated Idempotency-Key, registered before).',
  )
  @ApiProblems('conflict')
  async register(
    @Caller() caller: Caller,
    @Body(new ZodBody(registerComplaintBody)) body: RegisterComplaintBody,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new ValidationProblem([{ name: 'Idempotency-Key', reason: '1 to 200 visible ASCII characters' }]);
    }
    if (caller.kind === 'partner') {
      if (caller.propertyIds !== null && !caller.propertyIds.includes(body.propertyId)) {
        throw new ValidationProblem([{ name: 'propertyId', reason: 'is not a property this key may use' }]);
      }
    } else {
      const property = {
        kind: 'property' as const,
        id: body.propertyId,
        regionId: await this.directory.regionOf(caller.groupId, body.propertyId),
      };
      if (decide(caller, 'view', property).outcome !== 'allowed') {
        throw new ValidationProblem([{ name: 'propertyId', reason: 'is not a property within your scope' }]);
      }
    }
    const { referral, ...fields } = body;
    if (referral && body.channel !== 'government_referral') {
      throw new ValidationProblem([{ name: 'referral', reason: 'only with channel government_referral' }]);
    }
    const { complaint, replayed } = await this.intake.call.registerComplaint({
      ...fields,
      referralAgency: referral?.agency ?? '',
      referralTicket: referral?.ticketNumber ?? '',
      groupId: caller.groupId,
      receivedAt: body.receivedAt ?? new Date().toISOString(),
      categoryHint: body.categoryHint ?? '',
      severityHint: body.severityHint ?? '',
      actor: callerActor(caller),
      // Keys are per caller: two partners may pick the same key without meeting.
      confidentialStaffIds: body.confidentialStaffIds ?? [],
      idempotencyKey: idempotencyKey ? `${callerId(caller)}:${idempotencyKey}` : '',
      // The parsed body: the same request with its fields in another order is the same request.
      requestHash: createHash('sha256').update(JSON.stringify(body)).digest('hex'),
    });
    if (!complaint) throw new Error('intake answered without a complaint');
    response.status(201);
    if (replayed) response.setHeader('Idempotent-Replayed', 'true');
    return { id: complaint.id, number: complaint.number, status: complaint.status };
  }

  @Get()
  @ApiOperation({
    summary:
      'List or search the complaints within the caller’s scope, a page at a time: newest first, or a queue (mine, my approvals, my team) nearest deadline first',
  })
  @ApiZodQuery(listComplaintsQuery)
  @ApiOkResponse({ description: 'A page of complaints and the cursor of the next one (null on the last).' })
  @ApiProblems('forbidden')
  async list(@Caller() caller: Caller, @Query(new ZodBody(listComplaintsQuery)) query: ListComplaintsQuery) {
    const page = await this.intake.call.listComplaints({
      ...(await this.listRequest(caller, query)),
      cursor: query.cursor ?? '',
      limit: query.limit,
    });
    return {
      items: page.complaints.map((complaint) => toComplaintView(complaint)),
      nextCursor: page.nextCursor || null,
    };
  }

  @Get('export')
  @ApiOperation({
    summary:
      'The complaint ledger (台账) as XLSX or CSV: every complaint the same filters, search and queue list, at most 10 000',
  })
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv')
  @ApiZodQuery(exportComplaintsQuery)
  @ApiOkResponse({ description: 'The file: a row per complaint, the complainant masked.' })
  @ApiProblems('forbidden')
  async export(
    @Caller() caller: Caller,
    @Query(new ZodBody(exportComplaintsQuery)) query: ExportComplaintsQuery,
    @Res() response: Response,
  ): Promise<void> {
    const request = await this.listRequest(caller, query);
    const complaints: v1.Complaint[] = [];
    let cursor = '';
    do {
      const page = await this.intake.call.listComplaints({ ...request, cursor, limit: 200 });
      complaints.push(...page.complaints);
      if (complaints.length > MAX_LEDGER_ROWS) {
        throw new ValidationProblem([
          {
            name: 'receivedFrom',
            reason: `more than ${MAX_LEDGER_ROWS} complaints: narrow the filters (a period, a property)`,
          },
        ]);
      }
      cursor = page.nextCursor;
    } while (cursor);
    const directory = await this.directory.of(caller.groupId);
    const propertyName = (id: string) => directory.properties.find((property) => property.id === id)?.name ?? id;
    const { file } = await this.reporting.call.renderTables({
      tablesJson: JSON.stringify([ledgerTable(complaints, query.language, propertyName)]),
      format: query.format,
      fileName: `complaints-${new Date().toISOString().slice(0, 10)}`,
    });
    sendFile(response, file);
  }

  /** The list request for what the caller asks, within what they may see (the scope is part of the query). */
  private async listRequest(
    caller: Caller,
    query: Omit<ListComplaintsQuery, 'cursor' | 'limit'>,
  ): Promise<Omit<v1.ListComplaintsRequest, 'cursor' | 'limit'>> {
    const scope = listScope(caller);
    return {
      groupId: caller.groupId,
      propertyScope: scope.propertyScope,
      regionScope: scope.regionScope,
      confidentialViewer: scope.confidentialViewer,
      propertyIds: query.propertyId,
      regionIds: query.regionId,
      statuses: query.status,
      severities: query.severity,
      categories: query.category,
      channels: query.channel,
      receivedFrom: query.receivedFrom ?? '',
      receivedTo: query.receivedTo ?? '',
      overdueOnly: query.overdue === 'true',
      search: query.q ?? '',
      ...(await queueFilterOf(caller, query, this.directory)),
    };
  }

  @Get(':id')
  @ApiOperation({ summary: 'A complaint with its lifecycle (deadlines, level)' })
  @ApiOkResponse({ description: 'The complaint.' })
  @ApiProblems('not-found')
  async get(@Caller() caller: Caller, @Param('id') id: string) {
    const complaint = await this.scope.complaintFor(caller, id);
    const lifecycle = await this.escalation.call.getLifecycle({ groupId: caller.groupId, complaintId: id });
    return toComplaintView(complaint, lifecycle);
  }

  @Get(':id/timeline')
  @ApiOperation({ summary: 'The complaint’s timeline, oldest first, a page at a time' })
  @ApiZodQuery(timelineQuery)
  @ApiOkResponse({
    description:
      'A page of entries, each chained to the previous by its hash, and the cursor of the next page (null on the last).',
  })
  @ApiProblems('not-found')
  async timeline(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Query(new ZodBody(timelineQuery)) query: TimelineQuery,
  ) {
    await this.scope.complaintFor(caller, id);
    const page = await this.intake.call.getTimeline({
      groupId: caller.groupId,
      complaintId: id,
      afterSeq: query.cursor ?? 0,
      limit: query.limit,
    });
    return {
      entries: page.entries.map(toTimelineEntryView),
      nextCursor: page.nextAfterSeq ? String(page.nextAfterSeq) : null,
    };
  }

  @Get(':id/timeline/verify')
  @ApiOperation({ summary: 'Checks the hash chain of the complaint’s timeline' })
  @ApiOkResponse({ description: 'Whether the chain is intact, and where it breaks if not.' })
  @ApiProblems('not-found')
  async verifyTimeline(@Caller() caller: Caller, @Param('id') id: string) {
    await this.scope.complaintFor(caller, id);
    const verdict = await this.intake.call.verifyTimeline({ groupId: caller.groupId, complaintId: id });
    return verdict.valid
      ? { valid: true, entries: verdict.entries }
      : { valid: false, entries: verdict.entries, firstInvalidSeq: verdict.firstInvalidSeq, reason: verdict.reason };
  }

  @Post(':id/notes')
  @HttpCode(201)
  @ApiOperation({ summary: 'Adds a note to the complaint’s timeline' })
  @ApiZodBody('AddNote', addNoteBody)
  @ApiResponse({ status: 201, description: 'The new timeline entry.' })
  @ApiProblems('not-found', 'conflict')
  async addNote(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(addNoteBody)) body: { text: string },
  ) {
    return this.note(caller, id, body.text, '');
  }

  @Post(':id/referral-reply')
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Records the reply sent back to the government body that referred the complaint (under its ticket number), on the timeline',
  })
  @ApiZodBody('ReferralReply', addNoteBody)
  @ApiResponse({ status: 201, description: 'The new timeline entry (type referral_reply).' })
  @ApiProblems('not-found', 'conflict')
  async replyToReferral(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(addNoteBody)) body: { text: string },
  ) {
    return this.note(caller, id, body.text, 'referral_reply');
  }

  /** A note on the timeline: an internal one, or the reply sent back to a referring body. */
  private async note(caller: Caller, id: string, text: string, kind: '' | 'referral_reply') {
    await this.scope.complaintFor(caller, id, 'act');
    const { entry } = await this.intake.call.addNote({
      groupId: caller.groupId,
      complaintId: id,
      actor: callerActor(caller),
      text,
      kind,
      spotCheck: undefined,
    });
    if (!entry) throw new Error('intake answered without the entry');
    return toTimelineEntryView(entry);
  }

  @Post(':id/corrections')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Corrects registration facts (property, contact, location, description, demand) with a reason',
  })
  @ApiZodBody('CorrectComplaint', correctionBody)
  @ApiOkResponse({ description: 'The corrected complaint.' })
  @ApiProblems('not-found', 'conflict', 'forbidden', 'validation-error')
  async correct(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(correctionBody)) body: CorrectionBody,
  ) {
    await this.scope.complaintFor(caller, id, 'act');
    if (body.propertyId) {
      // Moving it is acting at the other property too: only to a property the caller sees.
      const directory = await this.directory.of(caller.groupId);
      const target = directory.properties.find((property) => property.id === body.propertyId);
      const place = { kind: 'property' as const, id: body.propertyId, regionId: target?.regionId ?? '' };
      if (target && decide(caller, 'view', place).outcome !== 'allowed') {
        throw new ForbiddenError(`complaints are moved only to properties the caller sees, not ${body.propertyId}`);
      }
    }
    const { complaint } = await this.intake.call.correctComplaint({
      groupId: caller.groupId,
      complaintId: id,
      actor: callerActor(caller),
      reason: body.reason,
      propertyId: body.propertyId,
      location: body.location,
      description: body.description,
      demand: body.demand,
      complainantName: body.complainant?.name,
      complainantContact: body.complainant?.contact,
      complainantUnit: body.complainant?.unit,
      involvedStaffId: body.involvedStaffId,
    });
    if (!complaint) throw new Error('intake answered without a complaint');
    return toComplaintView(complaint);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraws the complaint at the complainant’s request' })
  @ApiZodBody('WithdrawComplaint', withdrawBody)
  @ApiOkResponse({ description: 'The withdrawn complaint.' })
  @ApiProblems('not-found', 'conflict')
  async withdraw(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(withdrawBody)) body: { reason: string },
  ) {
    await this.scope.complaintFor(caller, id, 'act');
    const { complaint } = await this.intake.call.withdrawComplaint({
      groupId: caller.groupId,
      complaintId: id,
      actor: callerActor(caller),
      reason: body.reason,
    });
    if (!complaint) throw new Error('intake answered without a complaint');
    return toComplaintView(complaint);
  }
}
