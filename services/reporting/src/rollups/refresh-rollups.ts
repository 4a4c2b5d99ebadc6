import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import type { PeriodKind } from '@complaints/domain';
import { PerKeyQueue } from '@complaints/service-kit';
import { ComplaintFactsRepository, type VersionedRow } from '../complaint-facts/complaint-facts.repository';
import type { ComplaintFactsRow } from '../complaint-facts/derive-facts';
import {
  allScopeReports,
  scopeReport,
  type ReportSettings,
  type ScopeKey,
  type ScopeReport,
} from '../figures/build-report';
import { periodKey, periodOf, periodsHolding } from '../periods/periods';
import { ReportSettingsRepository } from '../settings/report-settings.repository';
import { HalfRows, PeriodRowsRepository } from './period-rows.repository';
import { RollupChangesRepository, type Lease } from './rollup-changes.repository';
import { RollupsRepository } from './rollups.repository';

/** How long a report waits for another replica's refresh of the group before answering from what is stored. */
const WAIT_FOR_OTHER_REPLICA_MS = 10_000;

type PeriodRef = { kind: PeriodKind; key: string };

function byComplaintId(a: ComplaintFactsRow, b: ComplaintFactsRow): number {
  // The order rows were read in when they were queried sorted by _id: first staff names and
  // sums of hours depend on it.
  return a.complaintId < b.complaintId ? -1 : a.complaintId > b.complaintId ? 1 : 0;
}

function sameFacts(a: ComplaintFactsRow | null, b: ComplaintFactsRow): boolean {
  if (!a) return false;
  const { version: _a, ...left } = a as VersionedRow;
  const { version: _b, ...right } = b as VersionedRow;
  return JSON.stringify(left) === JSON.stringify(right);
}

/**
 * Keeps the stored rollups equal to what the complaint rows say, and answers from them.
 *
 * Each row change is noted in the group's change document (hot path: one shared write for all
 * the changes made meanwhile). A refresh takes the group's lease, reads the change document and
 * the rows of the half-years the changes touch (by `_id`), puts the changed rows in, and
 * recomputes only the weeks, months and half-years they touch: medians and percentiles need
 * all of a period's rows, so figures are recomputed, but only of periods that changed and at
 * most once per refresh. Nothing here reads the complaint rows collection or scans.
 */
@Injectable()
export class RefreshRollups {
  /** One refresh of a group at a time in this process; other replicas are kept out by the lease. */
  private readonly refreshing = new PerKeyQueue();
  /** Groups with changes this process noted since its last refresh of them. */
  private readonly dirty = new Set<string>();
  /**
   * The half-year rows of each group as this process's last refresh left them, and the lease it
   * held. Only a refresh holding the lease writes them (a recut counts a lease too), so when the
   * next lease is the very next one, nobody wrote them since and they need no reading again:
   * reading and decoding a busy half-year's documents is most of a refresh's cost.
   */
  private readonly remembered = new Map<string, { lease: Lease; halves: Map<string, HalfRows> }>();

  constructor(
    private readonly facts: ComplaintFactsRepository,
    private readonly rollups: RollupsRepository,
    private readonly pages: PeriodRowsRepository,
    private readonly changes: RollupChangesRepository,
    private readonly settings: ReportSettingsRepository,
  ) {}

  /** A row changed: noted for the refresher before the event is acknowledged, so a restart loses nothing. */
  async rowChanged(before: ComplaintFactsRow | null, after: VersionedRow): Promise<void> {
    // Notes, reminders and the like change no fact: no rollup changes.
    if (sameFacts(before, after)) return;
    const at = [...new Set([before?.receivedAt, after.receivedAt].flatMap((date) => (date ? [date.getTime()] : [])))];
    await this.changes.add(after.groupId, { id: after.complaintId, version: after.version, at });
    this.dirty.add(after.groupId);
  }

  /** Groups this process changed since it last refreshed them. */
  takeDirty(): string[] {
    const groups = [...this.dirty];
    this.dirty.clear();
    return groups;
  }

  markDirty(groupId: string): void {
    this.dirty.add(groupId);
  }

  /** Every group that has a change document: one small document per group. */
  async groupsWithChanges(): Promise<string[]> {
    return this.changes.groups();
  }

  /**
   * Brings the group's rollups up to every change noted so far. False when another replica
   * holds the group (and `wait` is false or it held it too long).
   */
  async refreshGroup(groupId: string, wait = true): Promise<boolean> {
    const deadline = Date.now() + WAIT_FOR_OTHER_REPLICA_MS;
    for (;;) {
      const done = await this.refreshing.run(groupId, () => this.refreshNow(groupId));
      if (done || !wait || Date.now() > deadline) return done;
      await sleep(200);
    }
  }

  private async refreshNow(groupId: string): Promise<boolean> {
    const document = await this.changes.read(groupId);
    const entries = Object.entries(document?.changes ?? {});
    if (!document || entries.length === 0) return true;
    const lease = await this.changes.claim(groupId, document);
    if (!lease) return false;
    const previous = this.remembered.get(groupId);
    const cached =
      previous && previous.lease.epoch === lease.epoch && previous.lease.seq === lease.seq - 1
        ? previous.halves
        : new Map<string, HalfRows>();
    // Forgotten until this refresh has stored what it changes in them.
    this.remembered.delete(groupId);
    // Read fresh: the zone cuts the periods, and another replica may just have changed it.
    const settings = await this.settings.get(groupId, { fresh: true });
    const versions = new Map<string, number>();
    const times = new Set<number>();
    for (const [, change] of entries) {
      versions.set(change.id, Math.max(versions.get(change.id) ?? 0, change.version));
      for (const at of change.at) times.add(at);
    }
    const latest = await this.facts.rowsAt(groupId, versions);
    for (const row of latest) if (row.receivedAt) times.add(row.receivedAt.getTime());
    const periods = new Map<string, PeriodRef>();
    for (const at of times) {
      for (const period of periodsHolding(new Date(at), settings.timeZone)) {
        periods.set(`${period.kind}|${period.key}`, period);
      }
    }
    const halves = await this.loadHalves(groupId, [...periods.values()], settings.timeZone, cached);
    for (const row of latest) {
      const home = row.receivedAt ? periodKey('half', row.receivedAt, settings.timeZone) : null;
      for (const half of halves.values()) {
        if (half.half === home) half.put(row);
        else half.remove(row.complaintId, row.version);
      }
    }
    await this.pages.save([...halves.values()]);
    for (const half of halves.values()) half.written();
    for (const period of periods.values()) {
      await this.rollups.write(groupId, period.kind, period.key, this.reports(period, halves, settings));
    }
    await this.changes.settle(
      groupId,
      entries.map(([key]) => key),
    );
    this.remembered.set(groupId, { lease, halves });
    return true;
  }

  /** The half-years a set of periods lies in (a week may straddle two), each read once unless remembered. */
  private async loadHalves(
    groupId: string,
    periods: readonly PeriodRef[],
    timeZone: string,
    cached: ReadonlyMap<string, HalfRows> = new Map(),
  ): Promise<Map<string, HalfRows>> {
    const keys = new Set<string>();
    for (const { kind, key } of periods) {
      const { start, end } = periodOf(kind, key, timeZone);
      keys.add(periodKey('half', start, timeZone));
      keys.add(periodKey('half', new Date(end.getTime() - 1), timeZone));
    }
    const loaded = await Promise.all(
      [...keys].map((key): Promise<HalfRows> => {
        const remembered = cached.get(key);
        return remembered ? Promise.resolve(remembered) : this.pages.load(groupId, key);
      }),
    );
    return new Map(loaded.map((half) => [half.half, half]));
  }

  private rowsOf(period: PeriodRef, halves: ReadonlyMap<string, HalfRows>, timeZone: string): ComplaintFactsRow[] {
    const { start, end } = periodOf(period.kind, period.key, timeZone);
    const rows: ComplaintFactsRow[] = [];
    for (const half of halves.values()) {
      for (const row of half.rows.values()) {
        if (row.receivedAt && row.receivedAt >= start && row.receivedAt < end) rows.push(row);
      }
    }
    return rows.sort(byComplaintId);
  }

  private reports(period: PeriodRef, halves: ReadonlyMap<string, HalfRows>, settings: ReportSettings): ScopeReport[] {
    return allScopeReports(this.rowsOf(period, halves, settings.timeZone), settings);
  }

  /**
   * The scope's report for the period, fresh: the group's pending changes are applied first; a
   * period never built (rows written by a bulk load, rollups lost) is built from its rows now;
   * a scope without complaints in the period gets its empty report.
   */
  async report(groupId: string, kind: PeriodKind, key: string, scope: ScopeKey): Promise<ScopeReport> {
    await this.refreshGroup(groupId);
    const stored = await this.rollups.scope(groupId, kind, key, scope);
    if (stored) return stored;
    if (!(await this.rollups.built(groupId, kind, key))) {
      const reports = await this.refreshing.run(groupId, async () => {
        const settings = await this.settings.get(groupId, { fresh: true });
        const halves = await this.loadHalves(groupId, [{ kind, key }], settings.timeZone);
        const built = this.reports({ kind, key }, halves, settings);
        await this.rollups.write(groupId, kind, key, built);
        return built;
      });
      const report = reports.find((one) => one.scope === scope);
      if (report) return report;
    }
    return scopeReport(scope, [], await this.settings.get(groupId));
  }

  /**
   * After the settings changed, every period is cut anew from all the group's rows (an admin's
   * rare change: the one place that reads them all).
   */
  async recutAll(groupId: string): Promise<void> {
    await this.refreshing.run(groupId, async () => {
      this.remembered.delete(groupId);
      await this.changes.bump(groupId);
      const settings = await this.settings.get(groupId, { fresh: true });
      await this.rollups.deleteGroup(groupId);
      await this.pages.deleteGroup(groupId);
      const halves = new Map<string, HalfRows>();
      const periods = new Map<string, PeriodRef>();
      for (const row of await this.facts.allRows(groupId)) {
        if (!row.receivedAt) continue;
        for (const period of periodsHolding(row.receivedAt, settings.timeZone)) {
          periods.set(`${period.kind}|${period.key}`, period);
        }
        const key = periodKey('half', row.receivedAt, settings.timeZone);
        const half = halves.get(key) ?? halves.set(key, new HalfRows(groupId, key)).get(key)!;
        half.put(row);
      }
      await this.pages.save([...halves.values()]);
      for (const period of periods.values()) {
        await this.rollups.write(groupId, period.kind, period.key, this.reports(period, halves, settings));
      }
    });
  }

  /** Before a rebuild: the group's rollups, their rows and pending changes go. */
  async deleteGroup(groupId: string): Promise<void> {
    await this.refreshing.run(groupId, async () => {
      this.remembered.delete(groupId);
      await this.rollups.deleteGroup(groupId);
      await this.pages.deleteGroup(groupId);
      await this.changes.deleteGroup(groupId);
    });
  }
}
