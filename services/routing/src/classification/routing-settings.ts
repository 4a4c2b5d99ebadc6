import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { z } from 'zod';
import { invalidArgument } from '@complaints/service-kit';
import { DEFAULT_DEPARTMENT_MAP, departmentMapSchema, type DepartmentMap } from '../assignment/department-map';
import { RoutingSettings } from './decision.schema';
import { DEFAULT_RULES, ruleSetSchema, type RuleSet } from './rules';

export const routingSettingsSchema = z.strictObject({ rules: ruleSetSchema, departments: departmentMapSchema });

export interface GroupRoutingSettings {
  rules: RuleSet;
  departments: DepartmentMap;
  isDefault: boolean;
}

/**
 * How long a group's settings are reused before they are read again. Routing writes them itself,
 * so the replica that took an admin's change uses it at once; another replica may route with the
 * previous rules for this long, as if the change had been made a few seconds later.
 */
export const SETTINGS_CACHE_MS = 10_000;

/** A group's rules and department map; groups that set none get the SPEC §3 defaults. */
@Injectable()
export class RoutingSettingsRepository {
  private readonly cache = new Map<string, { at: number; settings: Promise<GroupRoutingSettings> }>();

  constructor(@InjectModel(RoutingSettings.name) private readonly settings: Model<RoutingSettings>) {}

  /** Read once per group every few seconds, not for every complaint. */
  forGroup(groupId: string): Promise<GroupRoutingSettings> {
    const cached = this.cache.get(groupId);
    if (cached && Date.now() - cached.at < SETTINGS_CACHE_MS) return cached.settings;
    const settings = this.read(groupId);
    this.cache.set(groupId, { at: Date.now(), settings });
    // A failed read must not be remembered.
    settings.catch(() => {
      if (this.cache.get(groupId)?.settings === settings) this.cache.delete(groupId);
    });
    return settings;
  }

  private async read(groupId: string): Promise<GroupRoutingSettings> {
    const stored = await this.settings.findById(groupId).lean<RoutingSettings>();
    if (!stored) return { rules: DEFAULT_RULES, departments: DEFAULT_DEPARTMENT_MAP, isDefault: true };
    // Validated when written; parsing again fills defaults added since. An empty object written
    // before the schema kept them was stored as nothing.
    const parsed = routingSettingsSchema.parse({ rules: stored.rules ?? {}, departments: stored.departments ?? {} });
    return { ...parsed, isDefault: false };
  }

  async put(groupId: string, settings: unknown, updatedBy: string): Promise<GroupRoutingSettings> {
    const parsed = routingSettingsSchema.safeParse(settings);
    if (!parsed.success) throw invalidArgument('routing settings', parsed.error.issues);
    await this.settings.replaceOne({ _id: groupId }, { _id: groupId, ...parsed.data, updatedBy }, { upsert: true });
    const saved: GroupRoutingSettings = { ...parsed.data, isDefault: false };
    this.cache.set(groupId, { at: Date.now(), settings: Promise.resolve(saved) });
    return saved;
  }
}
