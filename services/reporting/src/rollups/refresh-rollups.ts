import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import type { PeriodKind } from '@complaints/domain';
import { PerKeyQueue } from '@complaints/service-kit';
import { ComplaintFactsRepository, type VersionedRow } from '../complaint-facts/complaint-facts.repository';
import type { ComplaintFactsRow } from '../complaint-facts/derive-facts';
import { allScopeReports, scopeReport, type ScopeKey, type ScopeReport } from '../figures/build-report';
import { dayKey, daysOf, periodOf, periodsHolding } from '../periods/periods';
import { ReportSettingsRepository } from '../settings/report-settings.repository';
import { DayRows, PeriodRowsRepository } from './period-rows.repository';
import { RollupChangesRepository, type Lease, type RowChange } from './rollup-changes.repository';
import { RollupsRepository } from './rollups.repository';

/** How long a report waits for another replica's refresh of the group before answering from what is stored. */
const WAIT_FOR_OTHER_REPLICA_MS = 10_000;

type PeriodRef = { kind: PeriodKind; key: string };

/** What one pass holding the group did: nothing (another replica holds it), or its work, and the figures it built if asked. */
type Outcome = { done: false } | { done: true; built?: ScopeReport[] };

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
 * the changes made meanwhile). A refresh takes the group's lease, reads the change document, the
 * changed rows (by `_id`, mostly remembered) and the row documents of the days the changes touch
 * (by `_id`, mostly remembered too), writes the changed day documents, and marks the weeks,
 * months and half-years the changes touch stale: one bulk write, by `_id`. It computes no
 * figures: medians and percentiles need all of a period's rows, so a period's figures are built
 * from its days' rows when a report of it is read and it is stale or never built, then stored
 * until its rows change again. Background work thus follows what changed, and building figures
 * follows what is read. Nothing here reads the complaint rows collection or scans (but a recut).
 */
@Injectable()
export class RefreshRollups {
  /** One pass over a group at a time in this process; other replicas are kept out by the lease. */
  private readonly refreshing = new PerKeyQueue();
  /** Groups with changes this process noted since its last refresh of them. */
  private readonly dirty = new Set<string>();
  /**
   * The day rows of each group that this process's last pass changed, and the lease it held.
   * Only a pass holding the lease writes them (a recut counts a lease too), so when the next
   * lease is the very next one, nobody wrote them since and they need no reading again: under
   * load that is today's documents, read again on every refresh otherwise.
   */
  private readonly remembered = new Map<string, { lease: Lease; days: Map<string, DayRows> }>();
  /** Settled once the rows are filed by day (see fileByDay); reports wait for it. */
  private filed: Promise<void> = Promise.resolve();

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
   * Brings the group's rows up to every change noted so far, and marks the periods they touch
   * stale. False when another replica holds the group (and `wait` is false or it held it too long).
   */
  async refreshGroup(groupId: string, wait = true): Promise<boolean> {
    const deadline = Date.now() + WAIT_FOR_OTHER_REPLICA_MS;
    for (;;) {
      const outcome = await this.refreshing.run(groupId, () => this.refreshNow(groupId));
      if (outcome.done || !wait || Date.now() > deadline) return outcome.done;
      await sleep(200);
    }
  }

  /** One pass holding the group's lease: the pending changes, then the period's figures if `build` asks. */
  private async refreshNow(groupId: string, build?: PeriodRef): Promise<Outcome> {
    const document = await this.changes.read(groupId);
    const entries = Object.entries(document?.changes ?? {});
    if (entries.length === 0 && !build) return { done: true };
    const lease = await this.changes.claim(groupId, document);
    if (!lease) return { done: false };
    const previous = this.remembered.get(groupId);
    const cached =
      previous && previous.lease.epoch === lease.epoch && previous.lease.seq === lease.seq - 1
        ? previous.days
        : new Map<string, DayRows>();
    // Forgotten until this pass has stored what it changes in them.
    this.remembered.delete(groupId);
    try {
      // Read fresh: the zone cuts the days and periods, and another replica may just have changed it.
      const settings = await this.settings.get(groupId, { fresh: true });
      const days =
        entries.length > 0
          ? await this.apply(
              groupId,
              entries.map(([, change]) => change),
              settings.timeZone,
              cached,
            )
          : cached;
      let built: ScopeReport[] | undefined;
      // Another reader of the period may have built it while this one waited.
      if (build && (await this.rollups.builtScopes(groupId, build.kind, build.key)) === null) {
        built = allScopeReports(await this.rowsOf(groupId, build, settings.timeZone, days), settings);
        await this.rollups.write(groupId, build.kind, build.key, built);
      }
      await this.changes.settle(
        groupId,
        entries.map(([key]) => key),
      );
      this.remembered.set(groupId, { lease, days });
      return { done: true, built };
    } catch (error) {
      // Let go of the group (the changes stay noted) rather than keep every replica out for the lease's length.
      await this.changes.settle(groupId, []).catch(() => undefined);
      throw error;
    }
  }

  /** The changed rows into the documents of the days they touch; the periods they touch marked stale. */
  private async apply(
    groupId: string,
    changes: readonly RowChange[],
    timeZone: string,
    cached: ReadonlyMap<string, DayRows>,
  ): Promise<Map<string, DayRows>> {
    const versions = new Map<string, number>();
    const times = new Set<number>();
    for (const change of changes) {
      versions.set(change.id, Math.max(versions.get(change.id) ?? 0, change.version));
      for (const at of change.at) times.add(at);
    }
    const latest = await this.facts.rowsAt(groupId, versions);
    for (const row of latest) if (row.receivedAt) times.add(row.receivedAt.getTime());
    const periods = new Map<string, PeriodRef>();
    const keys = new Set<string>();
    for (const at of times) {
      keys.add(dayKey(new Date(at), timeZone));
      for (const period of periodsHolding(new Date(at), timeZone)) {
        periods.set(`${period.kind}|${period.key}`, period);
      }
    }
    const days = await this.loadDays(groupId, [...keys], cached);
    for (const row of latest) {
      const home = row.receivedAt ? dayKey(row.receivedAt, timeZone) : null;
      for (const day of days.values()) {
        if (day.day === home) day.put(row);
        else day.remove(row.complaintId, row.version);
      }
    }
    await this.pages.save([...days.values()]);
    for (const day of days.values()) day.written();
    // Also when no row needed writing (a pass cut off after its writes is done again): the marks
    // are what the figures depend on.
    await this.rollups.markStale(groupId, [...periods.values()]);
    return days;
  }

  /** The days' rows, each read once unless remembered. */
  private async loadDays(
    groupId: string,
    keys: readonly string[],
    cached: ReadonlyMap<string, DayRows> = new Map(),
  ): Promise<Map<string, DayRows>> {
    const loaded = await this.pages.load(
      groupId,
      keys.filter((key) => !cached.has(key)),
    );
    const days = new Map(loaded.map((day) => [day.day, day]));
    for (const key of keys) {
      const remembered = cached.get(key);
      if (remembered) days.set(key, remembered);
    }
    return days;
  }

  /** A period's rows: those of its days (by `_id`), in complaint id order. */
  private async rowsOf(
    groupId: string,
    period: PeriodRef,
    timeZone: string,
    cached?: ReadonlyMap<string, DayRows>,
  ): Promise<ComplaintFactsRow[]> {
    const { start, end } = periodOf(period.kind, period.key, timeZone);
    const days = await this.loadDays(groupId, daysOf(period.kind, period.key, timeZone), cached);
    const rows: ComplaintFactsRow[] = [];
    for (const day of days.values()) {
      for (const { row } of day.rows.values()) {
        if (row.receivedAt && row.receivedAt >= start && row.receivedAt < end) rows.push(row);
      }
    }
    return rows.sort(byComplaintId);
  }

  /**
   * The scope's report for the period, fresh: the group's pending changes are applied first; a
   * period stale or never built (rows written by a bulk load, rollups lost) is built from its
   * rows now, holding the group's lease, and stored; a scope without complaints in the period
   * gets its empty report.
   */
  async report(groupId: string, kind: PeriodKind, key: string, scope: ScopeKey): Promise<ScopeReport> {
    await this.filed;
    await this.refreshGroup(groupId);
    const scopes = await this.rollups.builtScopes(groupId, kind, key);
    if (scopes === null) {
      const built = await this.build(groupId, { kind, key });
      if (built)
        return built.find((one) => one.scope === scope) ?? scopeReport(scope, [], await this.settings.get(groupId));
    } else if (!scopes.includes(scope)) {
      return scopeReport(scope, [], await this.settings.get(groupId));
    }
    return (
      (await this.rollups.scope(groupId, kind, key, scope)) ?? scopeReport(scope, [], await this.settings.get(groupId))
    );
  }

  /** The period's figures built and stored; null when another reader had just built them (they are stored). */
  private async build(groupId: string, period: PeriodRef): Promise<ScopeReport[] | null> {
    const deadline = Date.now() + WAIT_FOR_OTHER_REPLICA_MS;
    for (;;) {
      const outcome = await this.refreshing.run(groupId, () => this.refreshNow(groupId, period));
      if (outcome.done) return outcome.built ?? null;
      if (Date.now() > deadline) {
        // Another replica holds the group too long: answered from the rows as they are, not stored.
        const settings = await this.settings.get(groupId, { fresh: true });
        return allScopeReports(await this.rowsOf(groupId, period, settings.timeZone), settings);
      }
      await sleep(200);
    }
  }

  /**
   * After the settings changed, the rows are filed anew by the days of the group's zone, from
   * all its complaint rows (an admin's rare change: the one place that reads them all); every
   * period's figures go, and are built again as they are read.
   */
  async recutAll(groupId: string): Promise<void> {
    await this.refreshing.run(groupId, async () => {
      this.remembered.delete(groupId);
      await this.changes.bump(groupId);
      const settings = await this.settings.get(groupId, { fresh: true });
      await this.rollups.deleteGroup(groupId);
      await this.pages.deleteGroup(groupId);
      const days = new Map<string, DayRows>();
      for (const row of await this.facts.allRows(groupId)) {
        if (!row.receivedAt) continue;
        const key = dayKey(row.receivedAt, settings.timeZone);
        let day = days.get(key);
        if (!day) days.set(key, (day = new DayRows(groupId, key)));
        day.put(row);
      }
      await this.pages.save([...days.values()]);
    });
  }

  /**
   * Once per store, at start: rows filed by half-year (before this version) are filed by day.
   * Done by recutting each such group from its complaint rows (`complaint_facts`, the truth the
   * old documents were made from) rather than by converting the old documents: recutAll is the
   * tested way to file a group's rows anew, and a once-only scan of an admin's kind is fine.
   * The marker (read by `_id`) makes every later start cost one read.
   */
  async fileByDay(): Promise<void> {
    const filing = (async () => {
      if (await this.pages.filedByDay()) return;
      for (const groupId of await this.pages.groupsFiledByHalf()) await this.recutAll(groupId);
      await this.pages.finishFilingByDay();
    })();
    this.filed = filing.catch(() => undefined);
    await filing;
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
