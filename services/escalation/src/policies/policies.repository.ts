import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { z } from 'zod';
import { DomainError, invalidArgument } from '@complaints/service-kit';
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

/** Deadline policies per scope and working calendars per region, in escalation's own database. */
@Injectable()
export class PoliciesRepository {
  constructor(
    @InjectModel(PolicyDocument.name) private readonly policies: Model<PolicyDocument>,
    @InjectModel(CalendarDocument.name) private readonly calendars: Model<CalendarDocument>,
  ) {}

  async override(groupId: string, scope: PolicyScope): Promise<PolicyOverride | undefined> {
    const stored = await this.policies.findById(documentId(groupId, scope)).lean<PolicyDocument>();
    // Validated when written; parsing again applies defaults added since.
    return stored ? policyOverrideSchema.parse(stored.policy) : undefined;
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
    return parsed.data;
  }

  /** Property over region over group over SPEC §5, severity by severity. */
  async effective(groupId: string, regionId: string, propertyId: string): Promise<DeadlinePolicy> {
    const [group, region, property] = await Promise.all([
      this.override(groupId, { kind: 'group' }),
      regionId ? this.override(groupId, { kind: 'region', id: regionId }) : undefined,
      propertyId ? this.override(groupId, { kind: 'property', id: propertyId }) : undefined,
    ]);
    return effectivePolicy([group, region, property]);
  }

  async calendar(groupId: string, regionId: string): Promise<{ calendar: WorkingCalendar; isDefault: boolean }> {
    const stored = await this.calendars.findById(`${groupId}:${regionId}`).lean<CalendarDocument>();
    if (!stored) return { calendar: CN_MAINLAND_CALENDAR, isDefault: true };
    return { calendar: calendarSchema.parse(stored.calendar), isDefault: false };
  }

  async putCalendar(groupId: string, regionId: string, calendar: unknown, updatedBy: string): Promise<WorkingCalendar> {
    const parsed = calendarSchema.safeParse(calendar);
    if (!parsed.success) throw invalidArgument('calendar', parsed.error.issues);
    const problems = calendarProblems(parsed.data);
    if (problems.length > 0) {
      throw new DomainError('invalid_argument', `invalid calendar: ${problems.join('; ')}`, {
        calendar: problems.join('; '),
      });
    }
    const _id = `${groupId}:${regionId}`;
    await this.calendars.replaceOne(
      { _id },
      { _id, groupId, regionId, calendar: parsed.data, updatedBy },
      { upsert: true },
    );
    return parsed.data;
  }
}
