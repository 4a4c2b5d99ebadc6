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

/** A group's rules and department map; groups that set none get the SPEC §3 defaults. */
@Injectable()
export class RoutingSettingsRepository {
  constructor(@InjectModel(RoutingSettings.name) private readonly settings: Model<RoutingSettings>) {}

  async forGroup(groupId: string): Promise<GroupRoutingSettings> {
    const stored = await this.settings.findById(groupId).lean<RoutingSettings>();
    if (!stored) return { rules: DEFAULT_RULES, departments: DEFAULT_DEPARTMENT_MAP, isDefault: true };
    // Validated when written; parsing again fills defaults added since.
    const parsed = routingSettingsSchema.parse({ rules: stored.rules, departments: stored.departments });
    return { ...parsed, isDefault: false };
  }

  async put(groupId: string, settings: unknown, updatedBy: string): Promise<GroupRoutingSettings> {
    const parsed = routingSettingsSchema.safeParse(settings);
    if (!parsed.success) throw invalidArgument('routing settings', parsed.error.issues);
    await this.settings.replaceOne({ _id: groupId }, { _id: groupId, ...parsed.data, updatedBy }, { upsert: true });
    return { ...parsed.data, isDefault: false };
  }
}
