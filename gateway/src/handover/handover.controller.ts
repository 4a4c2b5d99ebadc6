import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import type { v1 } from '@complaints/contracts';
import { HANDOVER_CHECKLIST, LANGUAGES } from '@complaints/domain';
import { enforce } from '../access/enforce';
import { Caller } from '../auth/caller';
import { StaffDirectory } from '../auth/staff-directory';
import { HandoverClient } from '../grpc/grpc-clients';
import { ApiProblems } from '../openapi/problem-responses';
import { ApiZodBody, ApiZodQuery, ApiZodResponse } from '../openapi/zod-schemas';
import { ValidationProblem } from '../problems/errors';
import { ZodBody } from '../problems/zod-body.pipe';
import { decideHandover, type HandoverAction } from './handover-access';
import {
  handoverPreviewView,
  handoverView,
  ledgerDayView,
  ledgerMonthView,
  toHandoverItemView,
  toHandoverView,
  toLedgerDayView,
  toLedgerMonthView,
  toOpenComplaintView,
} from './handover.views';
import { LEDGER_EXPORT_FORMATS, writeLedgerFile } from './ledger-export';

const text = (max: number) => z.string().max(max).default('');

const handoverBody = z.strictObject({
  propertyId: z.string().min(1).max(100).describe('the property whose desk hands over'),
  shift: z.strictObject({
    name: text(50).describe('e.g. 早班, 夜班'),
    start: z.iso.datetime({ offset: true }),
    end: z.iso.datetime({ offset: true }),
  }),
  onShift: z.array(z.string().min(1).max(100)).min(1).max(30).describe('staff ids of the outgoing shift'),
  items: z
    .array(
      z.strictObject({
        id: z
          .string()
          .max(100)
          .default('')
          .describe('a follow-up already on the entry (carried in, or written before); empty for a new one'),
        text: text(500).describe('the follow-up; for a carried one leave it out'),
        done: z.boolean().default(false),
        note: text(1000).describe('how it was finished, or how it stands'),
      }),
    )
    .max(100)
    .default([])
    .describe('follow-ups (跟办事项); carried ones left out stay open'),
  residentSituations: text(4000).describe('业户动态: residents’ and tenants’ situations the next shift must know'),
  keysAndItems: text(4000).describe('keys, documents and items handed over'),
  notices: text(4000).describe('what everyone on duty must know'),
  checklist: z
    .array(z.strictObject({ item: z.enum(HANDOVER_CHECKLIST), checked: z.boolean(), note: text(1000) }))
    .max(HANDOVER_CHECKLIST.length * 2)
    .describe('every line of the checklist (检查表), once; a line left unchecked needs a note'),
});
type HandoverBody = z.infer<typeof handoverBody>;

const noteBody = z
  .strictObject({ note: text(1000) })
  .default({ note: '' })
  .describe('an optional note');
const noBody = z.strictObject({}).default({}).describe('empty, or no body at all');
const previewQuery = z.strictObject({ propertyId: z.string().min(1).max(100) });
const exportQuery = z.strictObject({
  format: z.enum(LEDGER_EXPORT_FORMATS).default('xlsx'),
  language: z.enum(LANGUAGES).default('zh-CN'),
});

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/** Checks the caller's access to a property's book; answers the property as the directory knows it. */
async function propertyFor(
  directory: StaffDirectory,
  caller: Caller,
  propertyId: string,
  action: HandoverAction,
): Promise<v1.Property> {
  const property = (await directory.of(caller.groupId)).properties.find((p) => p.id === propertyId);
  enforce(decideHandover(caller, action, property), `property ${propertyId}`);
  return property as v1.Property;
}

/** The staff member acting (only staff get past the access check for writing). */
const staffOf = (caller: Caller): v1.StaffRef =>
  caller.kind === 'staff' ? { id: caller.staffId, name: caller.name } : { id: '', name: '' };

/**
 * The handover book (交接班本): the outgoing shift writes an entry (and corrects it until it is
 * signed), the incoming shift signs it. A new entry starts with the previous one's unfinished
 * follow-ups and lists the property's open complaints.
 */
@ApiTags('handovers')
@Controller('v1/handovers')
export class HandoversController {
  constructor(
    private readonly handover: HandoverClient,
    private readonly directory: StaffDirectory,
  ) {}

  /** The people on shift as the directory names them; an unknown or departed one is refused at its place. */
  private async onShift(caller: Caller, ids: string[]): Promise<v1.StaffRef[]> {
    const { staff } = await this.directory.of(caller.groupId);
    const problems: { name: string; reason: string }[] = [];
    const refs = ids.map((id, index) => {
      const member = staff.find((s) => s.id === id && !s.inactive);
      if (!member) problems.push({ name: `onShift.${index}`, reason: 'is not an active staff member of the group' });
      return { id, name: member?.name ?? '' };
    });
    if (problems.length > 0) throw new ValidationProblem(problems);
    return refs;
  }

  private async write(caller: Caller, entryId: string, body: HandoverBody) {
    const { entry } = await this.handover.call.writeHandover({
      groupId: caller.groupId,
      entryId,
      propertyId: body.propertyId,
      shiftName: body.shift.name,
      shiftStart: body.shift.start,
      shiftEnd: body.shift.end,
      onShift: await this.onShift(caller, body.onShift),
      items: body.items,
      residentSituations: body.residentSituations,
      keysAndItems: body.keysAndItems,
      notices: body.notices,
      checklist: body.checklist,
      by: staffOf(caller),
    });
    return toHandoverView(entry);
  }

  /** The entry, if the caller may do `action` at its property. */
  private async entryFor(caller: Caller, id: string, action: HandoverAction): Promise<v1.HandoverEntry> {
    const { entry } = await this.handover.call.getHandover({ groupId: caller.groupId, entryId: id });
    if (!entry) throw new Error('intake answered without the handover');
    await propertyFor(this.directory, caller, entry.propertyId, action);
    return entry;
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Writes the outgoing shift’s handover entry (交接班): carried follow-ups and open complaints are added',
  })
  @ApiZodBody('HandoverEntryInput', handoverBody)
  @ApiZodResponse(201, 'HandoverEntry', handoverView, 'The entry as stored, with what it carries.')
  @ApiProblems('validation-error', 'forbidden', 'not-found', 'conflict')
  async create(@Caller() caller: Caller, @Body(new ZodBody(handoverBody)) body: HandoverBody) {
    await propertyFor(this.directory, caller, body.propertyId, 'write');
    return this.write(caller, '', body);
  }

  @Get('preview')
  @ApiOperation({ summary: 'What a new entry of the property starts with now: carried follow-ups and open complaints' })
  @ApiZodQuery(previewQuery)
  @ApiZodResponse(200, 'HandoverPreview', handoverPreviewView, 'The unfinished follow-ups and the open complaints.')
  @ApiProblems('validation-error', 'not-found')
  async preview(@Caller() caller: Caller, @Query(new ZodBody(previewQuery)) query: z.infer<typeof previewQuery>) {
    await propertyFor(this.directory, caller, query.propertyId, 'read');
    const preview = await this.handover.call.previewHandover({ groupId: caller.groupId, propertyId: query.propertyId });
    return {
      carried: preview.carried.map(toHandoverItemView),
      openComplaints: preview.openComplaints.map(toOpenComplaintView),
      openComplaintsTruncated: preview.openComplaintsTruncated,
      previousEntryId: preview.previousEntryId || null,
    };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One handover entry' })
  @ApiZodResponse(200, 'HandoverEntry', handoverView, 'The entry.')
  async get(@Caller() caller: Caller, @Param('id') id: string) {
    return toHandoverView(await this.entryFor(caller, id, 'read'));
  }

  @Put(':id')
  @ApiOperation({ summary: 'Corrects an entry not yet signed (the whole entry, as when written)' })
  @ApiZodBody('HandoverEntryInput', handoverBody)
  @ApiZodResponse(200, 'HandoverEntry', handoverView, 'The entry as stored now.')
  @ApiProblems('validation-error', 'forbidden', 'conflict')
  async update(@Caller() caller: Caller, @Param('id') id: string, @Body(new ZodBody(handoverBody)) body: HandoverBody) {
    await this.entryFor(caller, id, 'write');
    return this.write(caller, id, body);
  }

  @Post(':id/sign')
  @HttpCode(200)
  @ApiOperation({
    summary: 'The incoming shift has read the entry and signs it: handed over, read-only from now on',
  })
  @ApiZodBody('HandoverSignature', noteBody)
  @ApiZodResponse(200, 'HandoverEntry', handoverView, 'The signed entry, with the complaints open now.')
  @ApiProblems('forbidden', 'conflict')
  async sign(@Caller() caller: Caller, @Param('id') id: string, @Body(new ZodBody(noteBody)) body: { note: string }) {
    await this.entryFor(caller, id, 'write');
    const { entry } = await this.handover.call.signHandover({
      groupId: caller.groupId,
      entryId: id,
      by: staffOf(caller),
      note: body.note,
    });
    return toHandoverView(entry);
  }
}

/**
 * The work ledger (工作台帐): a property's handovers of a day, reviewed by a supervisor; a month's,
 * archived once it is over and every day reviewed, and exported.
 */
@ApiTags('handovers')
@Controller('v1/ledgers')
export class LedgersController {
  constructor(
    private readonly handover: HandoverClient,
    private readonly directory: StaffDirectory,
  ) {}

  @Get(':propertyId/months/:month')
  @ApiOperation({ summary: 'A property’s ledger of a month: its days with entries, reviews and archiving' })
  @ApiParam({ name: 'month', description: 'YYYY-MM' })
  @ApiZodResponse(200, 'LedgerMonth', ledgerMonthView, 'The month.')
  async month(@Caller() caller: Caller, @Param('propertyId') propertyId: string, @Param('month') month: string) {
    await propertyFor(this.directory, caller, propertyId, 'read');
    const answer = await this.handover.call.getLedgerMonth({
      groupId: caller.groupId,
      propertyId,
      month,
      withEntries: false,
    });
    return toLedgerMonthView(answer.month);
  }

  @Post(':propertyId/months/:month/archive')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Archives a month’s ledger (台帐封面): after the month, every day reviewed; read-only from then on',
  })
  @ApiParam({ name: 'month', description: 'YYYY-MM' })
  @ApiZodBody('LedgerArchive', noBody)
  @ApiZodResponse(200, 'LedgerMonth', ledgerMonthView, 'The archived month.')
  @ApiProblems('forbidden', 'conflict')
  async archive(
    @Caller() caller: Caller,
    @Param('propertyId') propertyId: string,
    @Param('month') month: string,
    @Body(new ZodBody(noBody)) _body: object,
  ) {
    await propertyFor(this.directory, caller, propertyId, 'review');
    const answer = await this.handover.call.archiveLedgerMonth({
      groupId: caller.groupId,
      propertyId,
      month,
      by: staffOf(caller),
    });
    return toLedgerMonthView(answer.month);
  }

  @Get(':propertyId/months/:month/export')
  @ApiOperation({ summary: 'A month’s ledger as a file (XLSX or CSV): a row per handover entry' })
  @ApiParam({ name: 'month', description: 'YYYY-MM' })
  @ApiZodQuery(exportQuery)
  @ApiProduces(CONTENT_TYPES.xlsx, CONTENT_TYPES.csv)
  async export(
    @Caller() caller: Caller,
    @Param('propertyId') propertyId: string,
    @Param('month') month: string,
    @Query(new ZodBody(exportQuery)) query: z.infer<typeof exportQuery>,
    @Res() response: Response,
  ): Promise<void> {
    const property = await propertyFor(this.directory, caller, propertyId, 'read');
    const answer = await this.handover.call.getLedgerMonth({
      groupId: caller.groupId,
      propertyId,
      month,
      withEntries: true,
    });
    if (!answer.month) throw new Error('intake answered without the month');
    const content = await writeLedgerFile(answer.month, property, query.format, query.language);
    response
      .status(200)
      .setHeader('Content-Type', CONTENT_TYPES[query.format])
      .setHeader(
        'Content-Disposition',
        `attachment; filename*=UTF-8''${encodeURIComponent(`ledger-${propertyId}-${month}.${query.format}`)}`,
      )
      .send(content);
  }

  @Get(':propertyId/:day')
  @ApiOperation({ summary: 'A property’s ledger of a day: its handover entries in shift order and the review' })
  @ApiParam({ name: 'day', description: 'YYYY-MM-DD, in the property’s time zone' })
  @ApiZodResponse(200, 'LedgerDay', ledgerDayView, 'The day (no entries yet: an empty day).')
  async day(@Caller() caller: Caller, @Param('propertyId') propertyId: string, @Param('day') day: string) {
    await propertyFor(this.directory, caller, propertyId, 'read');
    const answer = await this.handover.call.getLedgerDay({ groupId: caller.groupId, propertyId, day });
    return toLedgerDayView(answer.day);
  }

  @Post(':propertyId/:day/review')
  @HttpCode(200)
  @ApiOperation({
    summary: 'A supervisor reviews and signs the day’s ledger (every entry of the day signed by its incoming shift)',
  })
  @ApiParam({ name: 'day', description: 'YYYY-MM-DD, in the property’s time zone' })
  @ApiZodBody('LedgerReview', noteBody)
  @ApiZodResponse(200, 'LedgerDay', ledgerDayView, 'The reviewed day.')
  @ApiProblems('forbidden', 'conflict')
  async review(
    @Caller() caller: Caller,
    @Param('propertyId') propertyId: string,
    @Param('day') day: string,
    @Body(new ZodBody(noteBody)) body: { note: string },
  ) {
    await propertyFor(this.directory, caller, propertyId, 'review');
    const answer = await this.handover.call.reviewLedgerDay({
      groupId: caller.groupId,
      propertyId,
      day,
      by: staffOf(caller),
      note: body.note,
    });
    return toLedgerDayView(answer.day);
  }
}
