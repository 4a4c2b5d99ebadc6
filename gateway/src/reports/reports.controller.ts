import { applyDecorators, Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { Audited } from '../audit/audited.decorator';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { status as grpcStatus } from '@grpc/grpc-js';
import type { Response } from 'express';
import { z } from 'zod';
import type { v1 } from '@complaints/contracts';
import { FIGURES, LANGUAGES, PERIOD_KINDS, REPORT_DIMENSIONS, REPORT_SECTIONS } from '@complaints/domain';
import { DomainError, NotFoundError } from '@complaints/service-kit';
import { AdminOnly } from '../auth/admin-only.decorator';
import { decide } from '../access/policy';
import { Caller } from '../auth/caller';
import { StaffDirectory } from '../auth/staff-directory';
import { NotificationClient, ReportingClient } from '../grpc/grpc-clients';
import { isGrpcError } from '../problems/to-problem';
import { ApiProblems } from '../openapi/problem-responses';
import { ApiZodBody, ApiZodQuery } from '../openapi/zod-schemas';
import { ZodBody } from '../problems/zod-body.pipe';

const FORMULAS = Object.entries(FIGURES)
  .map(([id, figure]) => `- \`${id}\` (${figure.unit}): ${figure.formula}`)
  .join('\n');
const SECTIONS = Object.entries(REPORT_SECTIONS)
  .map(([id, text]) => `- \`${id}\`: ${text}`)
  .join('\n');

const REPORT_DESCRIPTION =
  'Every figure counts the complaints received in the period (in the group’s time zone, see ' +
  '`/v1/admin/report-settings`) within the scope, as they stand now: a late or repeated event changes ' +
  `the figures exactly once. Breakdowns: ${REPORT_DIMENSIONS.join(', ')}.\n\nFigures:\n${FORMULAS}\n\nLists:\n${SECTIONS}`;

const scopeParam = z
  .string()
  .regex(/^(group|(region|property):[^\s:|]{1,100})$/, 'must be group, region:<id> or property:<id>')
  .optional()
  .describe('group (default), region:<id> or property:<id>; a key limited to properties asks for one of them');

const reportQuery = z.strictObject({ scope: scopeParam });

const exportQuery = z.strictObject({
  scope: scopeParam,
  format: z.enum(['xlsx', 'csv']).default('xlsx'),
  language: z.enum(LANGUAGES).default('zh-CN'),
});

const storedQuery = z.strictObject({ format: z.enum(['xlsx', 'csv']).default('xlsx'), scope: scopeParam });

const storedListQuery = z.strictObject({
  scope: scopeParam.describe(
    'group (default), region:<id> or property:<id>: whose stored reports; staff see their scope, a key limited to properties one of them',
  ),
});

const settingsBody = z.strictObject({
  timeZone: z.string().describe('IANA time zone the weeks and months are cut in, e.g. Asia/Shanghai'),
  recurringThreshold: z
    .number()
    .int()
    .describe('complaints on one category and location that make a recurring problem'),
  topItems: z.number().int().describe('entries per top list'),
  language: z
    .enum(LANGUAGES)
    .optional()
    .describe('what the scheduled reports and the mails carrying them are written in; zh-CN when left out'),
});

const noBody = z.strictObject({}).default({}).describe('empty, or no body at all');

const PeriodParams = () =>
  applyDecorators(
    ApiParam({ name: 'kind', enum: PERIOD_KINDS }),
    ApiParam({ name: 'key', description: '2026-W48 (ISO week), 2026-11 (month) or 2026-H2 (half-year)' }),
  );

/** Where the caller's reports are by default: its only property, its region, or the group. */
function defaultScope(caller: Caller): string | undefined {
  if (caller.kind === 'partner') {
    if (caller.propertyIds === null) return 'group';
    return caller.propertyIds.length === 1 ? `property:${caller.propertyIds[0]}` : undefined;
  }
  if (caller.roleLevel === 'group_hq') return 'group';
  if (caller.roleLevel === 'regional_gm') return `region:${caller.regionId}`;
  return caller.propertyIds.length === 1 ? `property:${caller.propertyIds[0]}` : undefined;
}

/**
 * Which scope the caller asks for, if the access policy lets it export there: a key limited to
 * some properties sees only those (another property does not exist for it, 404), never its
 * group or a region (403); staff report on their scope from property head up.
 */
export async function reportScope(
  caller: Caller,
  requested: string | undefined,
  regionOf: (propertyId: string) => Promise<string>,
): Promise<string> {
  const scope = requested ?? defaultScope(caller);
  if (!scope) {
    const decision = decide(caller, 'export', { kind: 'group' });
    throw new DomainError('permission_denied', decision.outcome === 'denied' ? decision.reason : 'ask for a scope');
  }
  const [kind, id = ''] = scope.split(':');
  const resource =
    kind === 'group'
      ? ({ kind: 'group' } as const)
      : kind === 'region'
        ? ({ kind: 'region', id } as const)
        : ({ kind: 'property', id, regionId: caller.kind === 'staff' ? await regionOf(id) : '' } as const);
  const decision = decide(caller, 'export', resource);
  if (decision.outcome === 'not_visible') throw new NotFoundError(`scope ${scope}`);
  if (decision.outcome === 'denied') throw new DomainError('permission_denied', decision.reason);
  return scope;
}

/** A file another service rendered, as a download. */
export function sendFile(response: Response, file: v1.ReportFile | undefined): void {
  if (!file) throw new Error('reporting answered without the file');
  response
    .status(200)
    .type(file.contentType)
    .setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
    .setHeader('X-Content-Type-Options', 'nosniff')
    .send(Buffer.from(file.content));
}

/** Report ids notification is asked for at once (its limit). */
const REPORT_IDS_AT_ONCE = 200;

/** A scheduled report's delivery to one head of its scope, as the listing shows it. */
function reportDeliveryView(delivery: v1.Delivery, names: ReadonlyMap<string, string>) {
  const last = delivery.attempts.at(-1);
  return {
    recipientId: delivery.recipientId,
    recipientName: names.get(delivery.recipientId) ?? '',
    /** property_head, regional_gm or group_hq */
    recipientRole: delivery.recipientKind,
    address: delivery.address,
    status: delivery.status,
    attempts: delivery.attempts.length,
    /** When it was last tried, else when it was recorded. */
    at: last?.at ?? delivery.createdAt,
    /** Why it did not go (yet): the last failed attempt's error; empty once sent. */
    reason: delivery.status === 'sent' || !last || last.ok ? '' : last.error,
  };
}

/** Weekly, monthly and half-year reports (SPEC §8), their exports and the stored scheduled ones. */
@ApiTags('reports')
@Controller('v1')
export class ReportsController {
  constructor(
    private readonly reporting: ReportingClient,
    private readonly notification: NotificationClient,
    private readonly directory: StaffDirectory,
  ) {}

  /**
   * The deliveries of stored reports, by report id; null while notification cannot be reached:
   * the reports are listed anyway, their delivery state unknown.
   */
  private async deliveriesOf(
    groupId: string,
    reportIds: readonly string[],
  ): Promise<Map<string, v1.Delivery[]> | null> {
    const byReport = new Map<string, v1.Delivery[]>(reportIds.map((id) => [id, []]));
    try {
      for (let start = 0; start < reportIds.length; start += REPORT_IDS_AT_ONCE) {
        const { deliveries } = await this.notification.call.listReportDeliveries({
          groupId,
          reportIds: reportIds.slice(start, start + REPORT_IDS_AT_ONCE),
        });
        for (const delivery of deliveries) byReport.get(delivery.reportId ?? '')?.push(delivery);
      }
    } catch (error) {
      const away = [grpcStatus.UNAVAILABLE, grpcStatus.DEADLINE_EXCEEDED] as number[];
      if (isGrpcError(error) && away.includes(error.code)) return null;
      throw error;
    }
    return byReport;
  }

  private scope(caller: Caller, requested: string | undefined): Promise<string> {
    return reportScope(caller, requested, (propertyId) => this.directory.regionOf(caller.groupId, propertyId));
  }

  @Get('reports/figures')
  @ApiOperation({ summary: 'Every figure of the reports with its unit, title and formula' })
  @ApiOkResponse({
    description:
      '`{ figures, sections, timeZone }`: `timeZone` is the group’s report time zone, in which weeks and months ' +
      'are cut (a client naming “this week” takes the date there).',
  })
  async figures(@Caller() caller: Caller) {
    const { settingsJson } = await this.reporting.call.getReportSettings({ groupId: caller.groupId });
    const { timeZone } = JSON.parse(settingsJson) as { timeZone: string };
    return { figures: FIGURES, sections: REPORT_SECTIONS, timeZone };
  }

  @Get('reports/stored')
  @ApiOperation({
    summary:
      'Reports produced on schedule for a scope (each Monday 09:00 last week’s, each 1st at 09:00 last month’s), ' +
      'with their deliveries to the heads of the scope',
    description:
      'The group, each region and each property of the directory get their report; each is e-mailed (XLSX attached) ' +
      'to its heads: property heads, regional GMs, group headquarters. `deliveries` is one entry per head: `status` ' +
      'pending, failed (to be retried), sent or dead (given up, `reason` says why: no e-mail address, no e-mail ' +
      'provider, refused); null while the delivery records cannot be read.',
  })
  @ApiOkResponse({
    description:
      '`{ reports: [{ periodKind, periodKey, scope, generatedAt, deliveries: [{ recipientId, recipientName, ' +
      'recipientRole, address, status, attempts, at, reason }] | null }] }`',
  })
  @ApiZodQuery(storedListQuery)
  @ApiProblems('validation-error', 'forbidden', 'not-found')
  async stored(@Caller() caller: Caller, @Query(new ZodBody(storedListQuery)) query: z.infer<typeof storedListQuery>) {
    // Without a scope the group's, as before reports were stored per scope.
    const scope = await this.scope(caller, query.scope ?? 'group');
    const { reports } = await this.reporting.call.listStoredReports({ groupId: caller.groupId, scope });
    const ids = reports.flatMap((report) => (report.id ? [report.id] : []));
    const [deliveries, directory] = await Promise.all([
      this.deliveriesOf(caller.groupId, ids),
      this.directory.of(caller.groupId),
    ]);
    const names = new Map(directory.staff.map((member) => [member.id, member.name]));
    return {
      reports: reports.map((report) => ({
        periodKind: report.periodKind,
        periodKey: report.periodKey,
        scope: report.scope ?? 'group',
        generatedAt: report.generatedAt,
        deliveries: deliveries
          ? (deliveries.get(report.id ?? '') ?? []).map((delivery) => reportDeliveryView(delivery, names))
          : null,
      })),
    };
  }

  @Get('reports/stored/:kind/:key')
  @PeriodParams()
  @ApiOperation({ summary: 'Download a stored report of a scope as it was produced (XLSX or CSV)' })
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv')
  @ApiOkResponse({ description: 'The file.' })
  @ApiZodQuery(storedQuery)
  @ApiProblems('validation-error', 'forbidden', 'not-found')
  async storedFile(
    @Caller() caller: Caller,
    @Param('kind') kind: string,
    @Param('key') key: string,
    @Query(new ZodBody(storedQuery)) query: z.infer<typeof storedQuery>,
    @Res() response: Response,
  ): Promise<void> {
    const scope = await this.scope(caller, query.scope ?? 'group');
    const { file } = await this.reporting.call.getStoredReport({
      groupId: caller.groupId,
      periodKind: kind,
      periodKey: key,
      format: query.format,
      scope,
    });
    sendFile(response, file);
  }

  @Get('reports/:kind/:key')
  @PeriodParams()
  @ApiOperation({
    summary: 'A period’s report for a scope: figures, breakdowns, recurring problems, top items, major complaints',
    description: REPORT_DESCRIPTION,
  })
  @ApiOkResponse({
    description:
      '`{ period: { kind, key, start, end, timeZone }, scope, figures, breakdowns, recurringProblems, top, majorComplaints }`',
  })
  @ApiZodQuery(reportQuery)
  @ApiProblems('validation-error', 'forbidden', 'not-found', 'conflict')
  async report(
    @Caller() caller: Caller,
    @Param('kind') kind: string,
    @Param('key') key: string,
    @Query(new ZodBody(reportQuery)) query: z.infer<typeof reportQuery>,
  ) {
    const { reportJson } = await this.reporting.call.getReport({
      groupId: caller.groupId,
      periodKind: kind,
      periodKey: key,
      scope: await this.scope(caller, query.scope),
    });
    return JSON.parse(reportJson) as Record<string, unknown>;
  }

  @Get('reports/:kind/:key/export')
  @PeriodParams()
  @ApiOperation({
    summary: 'The same report as XLSX (a summary sheet, then a sheet per breakdown and list) or CSV (UTF-8 with BOM)',
  })
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv')
  @ApiOkResponse({ description: 'The file, with the same numbers as the JSON report.' })
  @ApiZodQuery(exportQuery)
  @ApiProblems('validation-error', 'forbidden', 'not-found', 'conflict')
  async export(
    @Caller() caller: Caller,
    @Param('kind') kind: string,
    @Param('key') key: string,
    @Query(new ZodBody(exportQuery)) query: z.infer<typeof exportQuery>,
    @Res() response: Response,
  ): Promise<void> {
    const { file } = await this.reporting.call.exportReport({
      groupId: caller.groupId,
      periodKind: kind,
      periodKey: key,
      scope: await this.scope(caller, query.scope),
      format: query.format,
      language: query.language,
    });
    sendFile(response, file);
  }

  @Get('admin/report-settings')
  @AdminOnly()
  @ApiOperation({
    summary:
      'The group’s report time zone, recurring-problem threshold, top-list length and scheduled reports’ language',
  })
  @ApiOkResponse({ description: 'The settings (the defaults until set), with `isDefault`.' })
  async settings(@Caller() caller: Caller) {
    const { settingsJson, isDefault } = await this.reporting.call.getReportSettings({ groupId: caller.groupId });
    return { ...(JSON.parse(settingsJson) as Record<string, unknown>), isDefault };
  }

  @Put('admin/report-settings')
  @Audited<ReportsController>('report_settings', (c, caller) => c.settings(caller))
  @AdminOnly()
  @ApiOperation({
    summary: 'Replace the report settings; a new time zone recuts every period and retimes the schedules',
  })
  @ApiZodBody('ReportSettings', settingsBody)
  @ApiOkResponse({ description: 'The stored settings.' })
  async putSettings(@Caller() caller: Caller, @Body(new ZodBody(settingsBody)) body: z.infer<typeof settingsBody>) {
    const { settingsJson } = await this.reporting.call.putReportSettings({
      groupId: caller.groupId,
      settingsJson: JSON.stringify(body),
    });
    return JSON.parse(settingsJson) as Record<string, unknown>;
  }

  @Post('admin/reports/rebuild')
  @Audited('report_rebuild')
  @AdminOnly()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Rebuild the group’s read models from the whole event stream; reports answer 409 until it is done',
  })
  @ApiZodBody('RebuildReports', noBody)
  @ApiResponse({ status: 202, description: 'The rebuild status (`running`, or the one already running).' })
  async rebuild(@Caller() caller: Caller, @Body(new ZodBody(noBody)) _body: object) {
    const { status } = await this.reporting.call.rebuildReadModels({ groupId: caller.groupId });
    return status;
  }

  @Get('admin/reports/rebuild')
  @AdminOnly()
  @ApiOperation({ summary: 'The last rebuild: status (none, running, done, failed), events read and applied' })
  @ApiOkResponse({ description: 'The rebuild status.' })
  async rebuildStatus(@Caller() caller: Caller) {
    const { status } = await this.reporting.call.getRebuildStatus({ groupId: caller.groupId });
    return status;
  }
}
