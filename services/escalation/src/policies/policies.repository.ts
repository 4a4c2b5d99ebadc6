import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { z } from 'zod';
import { invalidArgument } from '@complaints/service-kit';
import { EscalationConfig } from '../config';
import { CN_MAINLAND_CALENDAR } from '../deadlines/cn-mainland-calendar';
import { calendarProblems, type WorkingCalendar } from '../deadlines/working-calendar';
import { effectivePolicy, policyOverrideSchema, type DeadlinePolicy, type PolicyOverride } from './deadline-policy';
import { CalendarDocument, PolicyDocument } from './policy.schema';

export type PolicyScope = { kind: 'group' } | { kind: 'region'; id: string } | { kind: 'property'; id: string };

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a local date YYYY-MM-DD');
const calendarSchema = z.strictObject({
  timeZone: z.string().min(1),
  workingDays: z.array(z.number().int()),
  businessHours: z.strictObject({ start: z.string(), end: z.string() }),
  holidays: z.array(localDate),
  makeUpWorkingDays: z.array(localDate),
});

function documentId(groupId: string, scope: PolicyScope): string {
  return scope.kind === 'group' ? `${groupId}:group:` : `${groupId}:${scope.kind}:${scope.id}`;
}

/** How a read may be answered: from the store now, or from what this process read a moment ago. */
export interface PolicyRead {
  cached: boolean;
}

const FRESH: PolicyRead = { cached: false };

/**
 * Reads by key reused for `ms`, the read in flight included (complaints started at once share
 * it), an absent document included (most properties and regions set nothing). Keys are scopes
 * of the master data (groups, regions, properties), so the map stays as small as the directory.
 */
class ReusedReads<T> {
  private readonly entries = new Map<string, { at: number; value: Promise<T> }>();

  constructor(private readonly ms: number) {}

  get(key: string, read: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(key);
    if (entry && Date.now() - entry.at < this.ms) return entry.value;
    const value = read();
    if (this.ms > 0) {
      this.entries.set(key, { at: Date.now(), value });
      // A failed read must not be remembered.
      value.catch(() => {
        if (this.entries.get(key)?.value === value) this.entries.delete(key);
      });
    }
    return value;
  }

  /** Called after this process wrote the document: the next read goes to the store. */
  drop(key: string): void {
    this.entries.delete(key);
  }
}

/**
 * Deadline policies per scope and working calendars per region, in escalation's own database,
 * each one document read by `_id`.
 *
 * Lifecycle starts and work-order raises read them cached (`{ cached: true }`): one routed
 * complaint would otherwise cost four store round trips for documents that change a few times a
 * year. A write through this replica takes effect for the next start at once; one through another
 * replica within `policyCacheMs`. That staleness is harmless: a lifecycle keeps the policy in
 * force when it started anyway (a work order its times), so a complaint started under the
 * previous policy just after a change is treated as one that arrived a moment before it. Admin
 * reads (the policy pages) stay fresh.
 */
@Injectable()
export class PoliciesRepository {
  private readonly overrides: ReusedReads<PolicyOverride | undefined>;
  private readonly calendarReads: ReusedReads<{ calendar: WorkingCalendar; isDefault: boolean }>;

  constructor(
    @InjectModel(PolicyDocument.name) private readonly policies: Model<PolicyDocument>,
    @InjectModel(CalendarDocument.name) private readonly calendars: Model<CalendarDocument>,
    config: EscalationConfig,
  ) {
    this.overrides = new ReusedReads(config.policyCacheMs);
    this.calendarReads = new ReusedReads(config.policyCacheMs);
  }

  async override(groupId: string, scope: PolicyScope, read: PolicyRead = FRESH): Promise<PolicyOverride | undefined> {
    const _id = documentId(groupId, scope);
    const load = async () => {
      const stored = await this.policies.findById(_id).lean<PolicyDocument>();
      // Validated when written; parsing again applies defaults added since. A policy that set
      // nothing, written before the schema kept empty objects, was stored without `policy`.
      return stored ? policyOverrideSchema.parse(stored.policy ?? {}) : undefined;
    };
    return read.cached ? this.overrides.get(_id, load) : load();
  }

  async putOverride(groupId: string, scope: PolicyScope, policy: unknown, updatedBy: string): Promise<PolicyOverride> {
    const parsed = policyOverrideSchema.safeParse(policy);
    if (!parsed.success) throw invalidArgument('policy', parsed.error.issues);
    const _id = documentId(groupId, scope);
    const scopeId = scope.kind === 'group' ? '' : scope.id;
    await this.policies.replaceOne(
      { _id },
      { _id, groupId, kind: scope.kind, scopeId, policy: parsed.data, updatedBy },
      { upsert: true },
    );
    this.overrides.drop(_id);
    return parsed.data;
  }

  /** Property over region over group over SPEC §5, severity by severity. */
  async effective(
    groupId: string,
    regionId: string,
    propertyId: string,
    read: PolicyRead = FRESH,
  ): Promise<DeadlinePolicy> {
    const [group, region, property] = await Promise.all([
      this.override(groupId, { kind: 'group' }, read),
      regionId ? this.override(groupId, { kind: 'region', id: regionId }, read) : undefined,
      propertyId ? this.override(groupId, { kind: 'property', id: propertyId }, read) : undefined,
    ]);
    return effectivePolicy([group, region, property]);
  }

  async calendar(
    groupId: string,
    regionId: string,
    read: PolicyRead = FRESH,
  ): Promise<{ calendar: WorkingCalendar; isDefault: boolean }> {
    const _id = `${groupId}:${regionId}`;
    const load = async () => {
      const stored = await this.calendars.findById(_id).lean<CalendarDocument>();
      if (!stored) return { calendar: CN_MAINLAND_CALENDAR, isDefault: true };
      return { calendar: calendarSchema.parse(stored.calendar), isDefault: false };
    };
    return read.cached ? this.calendarReads.get(_id, load) : load();
  }

  async putCalendar(groupId: string, regionId: string, calendar: unknown, updatedBy: string): Promise<WorkingCalendar> {
    const parsed = calendarSchema.safeParse(calendar);
    if (!parsed.success) throw invalidArgument('calendar', parsed.error.issues);
    const problems = calendarProblems(parsed.data);
    if (problems.length > 0) {
      throw invalidArgument(
        'calendar',
        problems.map(({ path, message }) => ({ path: path.split('.'), message })),
      );
    }
    const _id = `${groupId}:${regionId}`;
    await this.calendars.replaceOne(
      { _id },
      { _id, groupId, regionId, calendar: parsed.data, updatedBy },
      { upsert: true },
    );
    this.calendarReads.drop(_id);
    return parsed.data;
  }
}
