import { Injectable } from '@nestjs/common';
import type { z } from 'zod';
import { DomainError, invalidArgument } from '@complaints/service-kit';
import { DirectoryRepository } from '../directory.repository';
import { TtlCache } from '../ttl-cache';
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

/**
 * How long registration trusts a property or staff member it read. Master data changes by
 * admin action a few times a year; this process forgets what it changes itself at once, so
 * only another replica's change shows up late, by at most this long: a complaint registered
 * meanwhile names a property or staff member that existed a moment ago, as it would have if
 * it had come in a few seconds earlier.
 */
const DIRECTORY_CACHE_MS = 30_000;

/** Creates or replaces master-data entries, keeping references inside the group valid. */
@Injectable()
export class ManageDirectory {
  /** Found entries only: an unknown id is asked again (a property just added elsewhere is found). */
  private readonly properties = new TtlCache<PropertyEntry>(DIRECTORY_CACHE_MS);
  private readonly staff = new TtlCache<true>(DIRECTORY_CACHE_MS);

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
    this.properties.delete(`${property.groupId}:${property.id}`);
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
    this.staff.delete(`${staff.groupId}:${staff.id}`);
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
    const key = `${groupId}:${propertyId}`;
    const cached = this.properties.get(key);
    if (cached) return cached;
    const found = await this.directory.findProperty(groupId, propertyId);
    if (found) this.properties.set(key, found);
    return found;
  }

  async staffExists(groupId: string, staffId: string): Promise<boolean> {
    const key = `${groupId}:${staffId}`;
    if (this.staff.get(key)) return true;
    const exists = await this.directory.staffExists(groupId, staffId);
    if (exists) this.staff.set(key, true);
    return exists;
  }
}
