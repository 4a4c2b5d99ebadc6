import { Controller } from '@nestjs/common';
import { z } from 'zod';
import { v1 } from '@complaints/contracts';
import { DomainError, invalidArgument, parseJsonField } from '@complaints/service-kit';
import { ComplaintFactsRepository } from '../complaint-facts/complaint-facts.repository';
import { renderTables, reportFile, type RenderedExport } from '../exports/render-export';
import { RebuildReadModels } from '../rebuild/rebuild-read-models';
import { RebuildsRepository, type RebuildStatusView } from '../rebuild/rebuilds.repository';
import { RefreshRollups } from '../rollups/refresh-rollups';
import { EnsureSchedules } from '../schedules/ensure-schedules';
import { storedReportId, StoredReportsRepository } from '../schedules/stored-reports.repository';
import { reportSettingsInput, ReportSettingsRepository } from '../settings/report-settings.repository';
import { parseFormat, parsePeriod, parseScope, ReportQueries } from './report-queries';

/** What RenderTables accepts: titled tables of strings, numbers and empty cells, within a spreadsheet's limits. */
const renderedTables = z
  .array(
    z.strictObject({
      title: z.string().min(1).max(100),
      columns: z.array(z.strictObject({ header: z.string().max(200), rate: z.boolean().optional() })).max(100),
      rows: z.array(z.array(z.union([z.string().max(32_767), z.number(), z.null()])).max(100)).max(100_000),
    }),
  )
  .min(1)
  .max(20);

function file(rendered: RenderedExport): v1.ReportFile {
  return { content: rendered.content, contentType: rendered.contentType, fileName: rendered.fileName };
}

function statusView(status: RebuildStatusView): v1.RebuildStatus {
  return {
    status: status.status,
    startedAt: status.startedAt?.toISOString() ?? '',
    finishedAt: status.finishedAt?.toISOString() ?? '',
    eventsRead: status.eventsRead,
    eventsApplied: status.eventsApplied,
    complaints: status.complaints,
    error: status.error,
  };
}

@Controller()
@v1.ReportingServiceControllerMethods()
export class ReportingGrpcController implements v1.ReportingServiceController {
  constructor(
    private readonly facts: ComplaintFactsRepository,
    private readonly queries: ReportQueries,
    private readonly stored: StoredReportsRepository,
    private readonly settings: ReportSettingsRepository,
    private readonly rollups: RefreshRollups,
    private readonly schedules: EnsureSchedules,
    private readonly rebuild: RebuildReadModels,
    private readonly rebuilds: RebuildsRepository,
  ) {}

  async getComplaintFacts(request: v1.GetComplaintFactsRequest): Promise<v1.GetComplaintFactsResponse> {
    const facts = await this.facts.find(request.groupId, request.complaintId);
    if (!facts) return { found: false, facts: undefined };
    return {
      found: true,
      facts: {
        complaintId: facts.complaintId,
        number: facts.number,
        propertyId: facts.propertyId,
        channel: facts.channel,
        category: facts.category,
        severity: facts.severity,
        department: facts.department,
        receivedAt: facts.receivedAt?.toISOString() ?? '',
        breaches: facts.breaches,
        eventsApplied: await this.facts.eventCount(request.groupId, request.complaintId),
        status: facts.status,
        satisfaction: facts.satisfaction,
        round: facts.round,
      },
    };
  }

  async getReport(request: v1.GetReportRequest): Promise<v1.GetReportResponse> {
    const report = await this.queries.report({
      groupId: request.groupId,
      kind: request.periodKind,
      key: request.periodKey,
      scope: request.scope,
    });
    return { reportJson: JSON.stringify(report) };
  }

  async exportReport(request: v1.ExportReportRequest): Promise<v1.ExportReportResponse> {
    const rendered = await this.queries.export({
      groupId: request.groupId,
      kind: request.periodKind,
      key: request.periodKey,
      scope: request.scope,
      format: request.format,
      language: request.language,
    });
    return { file: file(rendered) };
  }

  async renderTables(request: v1.RenderTablesRequest): Promise<v1.RenderTablesResponse> {
    const checked = renderedTables.safeParse(parseJsonField(request.tablesJson, 'tablesJson'));
    if (!checked.success) throw invalidArgument('tables', checked.error.issues);
    const name = request.fileName.replace(/[^\p{L}\p{N}._-]+/gu, '-').slice(0, 100) || 'export';
    return { file: file(await renderTables(checked.data, parseFormat(request.format), name)) };
  }

  async listStoredReports(request: v1.ListStoredReportsRequest): Promise<v1.ListStoredReportsResponse> {
    const reports = await this.stored.list(request.groupId, parseScope(request.scope ?? ''));
    return {
      reports: reports.map((report) => ({
        periodKind: report.kind,
        periodKey: report.key,
        generatedAt: report.generatedAt.toISOString(),
        scope: report.scope,
        id: report._id,
      })),
    };
  }

  async getStoredReport(request: v1.GetStoredReportRequest): Promise<v1.GetStoredReportResponse> {
    const format = parseFormat(request.format);
    let id = request.reportId ?? '';
    if (!id) {
      const { kind, key } = parsePeriod(request.periodKind, request.periodKey);
      id = storedReportId(request.groupId, kind, key, parseScope(request.scope ?? ''));
    }
    const stored = await this.stored.fileById(request.groupId, id, format);
    if (!stored) throw new DomainError('not_found', 'no such stored report');
    const { content, info } = stored;
    return {
      file: file(reportFile(content, format, { period: { kind: info.kind, key: info.key }, scope: info.scope })),
    };
  }

  async getReportSettings(request: v1.GetReportSettingsRequest): Promise<v1.GetReportSettingsResponse> {
    const { isDefault, ...settings } = await this.settings.get(request.groupId);
    return { settingsJson: JSON.stringify(settings), isDefault };
  }

  async putReportSettings(request: v1.PutReportSettingsRequest): Promise<v1.PutReportSettingsResponse> {
    const parsed = reportSettingsInput.safeParse(parseJsonField(request.settingsJson, 'settings'));
    if (!parsed.success) throw invalidArgument('report settings', parsed.error.issues);
    const before = await this.settings.get(request.groupId);
    await this.settings.put(request.groupId, parsed.data);
    const { isDefault: _default, language: _before, ...previous } = before;
    const { language: _after, ...shaping } = parsed.data;
    // Every setting but the language shapes the stored rollups; the zone also says when the schedules fire.
    if (JSON.stringify(previous) !== JSON.stringify(shaping)) await this.rollups.recutAll(request.groupId);
    if (before.timeZone !== parsed.data.timeZone) await this.schedules.retime(request.groupId);
    return { settingsJson: JSON.stringify(parsed.data) };
  }

  async rebuildReadModels(request: v1.RebuildReadModelsRequest): Promise<v1.RebuildReadModelsResponse> {
    return { status: statusView(await this.rebuild.start(request.groupId)) };
  }

  async getRebuildStatus(request: v1.GetRebuildStatusRequest): Promise<v1.GetRebuildStatusResponse> {
    return { status: statusView(await this.rebuilds.status(request.groupId)) };
  }
}
