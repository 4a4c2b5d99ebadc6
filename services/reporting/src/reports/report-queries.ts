import { Injectable } from '@nestjs/common';
import { LANGUAGES, PERIOD_KINDS, type Language, type PeriodKind } from '@complaints/domain';
import { DirectoryClient, DomainError } from '@complaints/service-kit';
import { renderExport, EXPORT_FORMATS, type ExportFormat, type RenderedExport } from '../exports/render-export';
import type { ReportNames } from '../exports/report-tables';
import type { ScopeKey, ScopeReport } from '../figures/build-report';
import { checkPeriodKey, periodOf, type Period } from '../periods/periods';
import { RebuildsRepository } from '../rebuild/rebuilds.repository';
import { RefreshRollups } from '../rollups/refresh-rollups';
import { ReportSettingsRepository } from '../settings/report-settings.repository';

export interface ReportRequest {
  groupId: string;
  kind: string;
  key: string;
  scope: string;
}

export type Report = {
  period: Omit<Period, 'start' | 'end'> & { start: string; end: string; timeZone: string };
} & ScopeReport;

function invalid(field: string, message: string): DomainError {
  return new DomainError('invalid_argument', `${field}: ${message}`, { [field]: message });
}

export function parsePeriod(kind: string, key: string): { kind: PeriodKind; key: string } {
  if (!(PERIOD_KINDS as readonly string[]).includes(kind))
    throw invalid('kind', `must be one of ${PERIOD_KINDS.join(', ')}`);
  const problem = checkPeriodKey(kind as PeriodKind, key);
  if (problem) throw invalid('period', problem);
  return { kind: kind as PeriodKind, key };
}

export function parseFormat(format: string): ExportFormat {
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw invalid('format', `must be one of ${EXPORT_FORMATS.join(', ')}`);
  }
  return format as ExportFormat;
}

export function parseScope(scope: string): ScopeKey {
  if (scope === '' || scope === 'group') return 'group';
  if (/^(region|property):[^\s:|]{1,100}$/.test(scope)) return scope;
  throw invalid('scope', 'must be group, region:<id> or property:<id>');
}

/** Reports as the API serves them: validated, fresh, refused while the read models are rebuilt. */
@Injectable()
export class ReportQueries {
  constructor(
    private readonly rollups: RefreshRollups,
    private readonly settings: ReportSettingsRepository,
    private readonly rebuilds: RebuildsRepository,
    private readonly directory: DirectoryClient,
  ) {}

  async report(request: ReportRequest): Promise<Report> {
    const { kind, key } = parsePeriod(request.kind, request.key);
    const scope = parseScope(request.scope);
    const rebuild = await this.rebuilds.status(request.groupId);
    if (rebuild.status === 'running') {
      throw new DomainError(
        'failed_precondition',
        `the group's reports are being rebuilt from the event stream (${rebuild.eventsRead} events read so far); ` +
          'ask again when GET /v1/admin/reports/rebuild says done',
      );
    }
    const { timeZone } = await this.settings.get(request.groupId);
    const { start, end } = periodOf(kind, key, timeZone);
    const report = await this.rollups.report(request.groupId, kind, key, scope);
    return { period: { kind, key, start: start.toISOString(), end: end.toISOString(), timeZone }, ...report };
  }

  async export(request: ReportRequest & { format: string; language: string }): Promise<RenderedExport> {
    const format = parseFormat(request.format);
    const language = request.language || 'zh-CN';
    if (!(LANGUAGES as readonly string[]).includes(language))
      throw invalid('language', `must be one of ${LANGUAGES.join(', ')}`);
    const report = await this.report(request);
    return renderExport(
      {
        period: report.period,
        scope: report.scope,
        report,
        names: await this.names(request.groupId),
        language: language as Language,
      },
      format,
    );
  }

  /**
   * A scheduled report: both formats from one read of its figures, in the group's report
   * language, with the names the directory gives.
   */
  async scheduled(request: ReportRequest, language: Language): Promise<Record<ExportFormat, RenderedExport>> {
    const report = await this.report(request);
    const input = {
      period: report.period,
      scope: report.scope,
      report,
      names: await this.names(request.groupId),
      language,
    };
    return { xlsx: await renderExport(input, 'xlsx'), csv: await renderExport(input, 'csv') };
  }

  /** Property and region names for the exports; ids stand in when the directory cannot be read. */
  async names(groupId: string): Promise<ReportNames> {
    const directory = await this.directory.directory(groupId).catch(() => undefined);
    return {
      properties: new Map((directory?.properties ?? []).map((property) => [property.id, property.name])),
      regions: new Map((directory?.regions ?? []).map((region) => [region.id, region.name])),
    };
  }
}
