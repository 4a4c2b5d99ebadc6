import { Injectable } from '@nestjs/common';
import type { PeriodKind } from '@complaints/domain';
import { ComplaintFactsRepository } from '../complaint-facts/complaint-facts.repository';
import type { ComplaintFactsRow } from '../complaint-facts/derive-facts';
import {
  allScopeReports,
  scopeReport,
  type ReportSettings,
  type ScopeKey,
  type ScopeReport,
} from '../figures/build-report';
import { periodOf, periodsHolding } from '../periods/periods';
import { ReportSettingsRepository } from '../settings/report-settings.repository';
import { RollupsRepository } from './rollups.repository';

function inScope(scope: ScopeKey, row: ComplaintFactsRow): boolean {
  if (scope === 'group') return true;
  const [kind, id] = scope.split(':');
  return kind === 'region' ? row.regionId === id : row.propertyId === id;
}

/** Keeps the stored rollups equal to what the complaint rows say, and answers from them. */
@Injectable()
export class RefreshRollups {
  constructor(
    private readonly facts: ComplaintFactsRepository,
    private readonly rollups: RollupsRepository,
    private readonly settings: ReportSettingsRepository,
  ) {}

  /** A row changed: the periods it was and is received in need their rollups again. */
  async rowChanged(groupId: string, receivedAt: (Date | null)[]): Promise<void> {
    const { timeZone } = await this.settings.get(groupId);
    const periods = new Map<string, { kind: PeriodKind; key: string }>();
    for (const at of receivedAt) {
      if (at) for (const period of periodsHolding(at, timeZone)) periods.set(`${period.kind}|${period.key}`, period);
    }
    for (const { kind, key } of periods.values()) await this.rollups.markStale(groupId, kind, key);
  }

  /** Recomputes one period's rollups from the rows; the rows read are those as of the returned seq. */
  async refresh(groupId: string, kind: PeriodKind, key: string): Promise<void> {
    const period = await this.rollups.period(groupId, kind, key);
    if (!period) return;
    const settings = await this.settings.get(groupId);
    const rows = await this.rowsOf(groupId, kind, key, settings);
    await this.rollups.write(groupId, kind, key, period.dirtySeq, allScopeReports(rows, settings));
  }

  async refreshStale(limit = 20): Promise<number> {
    const stale = await this.rollups.stalePeriods(limit);
    for (const period of stale) await this.refresh(period.groupId, period.kind, period.key);
    return stale.length;
  }

  async refreshGroup(groupId: string): Promise<void> {
    for (const period of await this.rollups.periodsOf(groupId)) {
      if (period.stale) await this.refresh(groupId, period.kind, period.key);
    }
  }

  /**
   * The scope's report for the period, fresh: a stale period is refreshed first, and a period
   * without complaints (or a scope without any in it) gets its empty report.
   */
  async report(groupId: string, kind: PeriodKind, key: string, scope: ScopeKey): Promise<ScopeReport> {
    const period = await this.rollups.period(groupId, kind, key);
    if (period?.stale) await this.refresh(groupId, kind, key);
    const stored = period ? await this.rollups.scope(groupId, kind, key, scope) : null;
    if (stored) return stored;
    const settings = await this.settings.get(groupId);
    const rows = period ? [] : await this.rowsOf(groupId, kind, key, settings);
    return scopeReport(
      scope,
      rows.filter((row) => inScope(scope, row)),
      settings,
    );
  }

  /** After the time zone changed, every period is cut anew: all stored rollups go, all periods are marked. */
  async recutAll(groupId: string): Promise<void> {
    await this.rollups.deleteGroup(groupId);
    await this.rowChanged(groupId, await this.facts.receivedTimes(groupId));
  }

  private async rowsOf(groupId: string, kind: PeriodKind, key: string, settings: ReportSettings) {
    const { start, end } = periodOf(kind, key, settings.timeZone);
    return this.facts.receivedBetween(groupId, start, end);
  }
}
