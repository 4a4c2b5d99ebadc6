import { Injectable } from '@nestjs/common';
import type { z } from 'zod';
import { DomainError, invalidArgument } from '@complaints/service-kit';
import { DirectoryRepository } from '../directory.repository';
import {
  departmentEntry,
  propertyEntry,
  regionEntry,
  staffEntry,
  type DepartmentEntry,
  type DirectorySeed,
  type PropertyEntry,
  type RegionEntry,
  type StaffEntry,
} from '../directory.entries';

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalidArgument(what, result.error.issues);
  return result.data;
}

function unknownReference(field: string, what: string): DomainError {
  return new DomainError('invalid_argument', `invalid ${what}: ${field} does not exist in this group`, {
    [field]: 'does not exist in this group',
  });
}

/** Creates or replaces master-data entries, keeping references inside the group valid. */
@Injectable()
export class ManageDirectory {
  constructor(private readonly directory: DirectoryRepository) {}

  async upsertRegion(input: unknown): Promise<RegionEntry> {
    const region = parse(regionEntry, input, 'region');
    await this.directory.upsertRegion(region);
    return region;
  }

  async upsertProperty(input: unknown): Promise<PropertyEntry> {
    const property = parse(propertyEntry, input, 'property');
    if (!(await this.directory.findRegion(property.groupId, property.regionId)))
      throw unknownReference('regionId', 'property');
    const sameCode = await this.directory.findPropertyByCode(property.groupId, property.code);
    if (sameCode && sameCode.id !== property.id) {
      throw new DomainError('conflict', `property code ${property.code} is already used by ${sameCode.id}`, {
        code: `already used by property ${sameCode.id}`,
      });
    }
    await this.directory.upsertProperty(property);
    return property;
  }

  async upsertDepartment(input: unknown): Promise<DepartmentEntry> {
    const department = parse(departmentEntry, input, 'department');
    if (!(await this.directory.findProperty(department.groupId, department.propertyId)))
      throw unknownReference('propertyId', 'department');
    await this.directory.upsertDepartment(department);
    return department;
  }

  async upsertStaff(input: unknown): Promise<StaffEntry> {
    const staff = parse(staffEntry, input, 'staff member');
    for (const [i, propertyId] of staff.propertyIds.entries()) {
      if (!(await this.directory.findProperty(staff.groupId, propertyId)))
        throw unknownReference(`propertyIds.${i}`, 'staff member');
    }
    if (staff.regionId && !(await this.directory.findRegion(staff.groupId, staff.regionId)))
      throw unknownReference('regionId', 'staff member');
    await this.directory.upsertStaff(staff);
    return staff;
  }

  /** Loads a whole group, parents before children; running it again changes nothing. */
  async loadSeed(seed: DirectorySeed): Promise<void> {
    const { groupId } = seed;
    for (const region of seed.regions) await this.upsertRegion({ ...region, groupId });
    for (const property of seed.properties) await this.upsertProperty({ ...property, groupId });
    for (const department of seed.departments) await this.upsertDepartment({ ...department, groupId });
    for (const staff of seed.staff) await this.upsertStaff({ ...staff, groupId });
  }

  list(groupId: string) {
    return this.directory.list(groupId);
  }

  async property(groupId: string, propertyId: string): Promise<PropertyEntry | null> {
    return this.directory.findProperty(groupId, propertyId);
  }

  async staffExists(groupId: string, staffId: string): Promise<boolean> {
    return this.directory.staffExists(groupId, staffId);
  }
}
