import { Injectable } from '@nestjs/common';
import type { z } from 'zod';
import { DomainError, invalidArgument, NotFoundError } from '@complaints/service-kit';
import { DirectoryRepository } from '../directory.repository';
import { TtlCache } from '../ttl-cache';
import { planImport, type ImportRow } from './import-directory';
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

/** What an upsert keeps of the stored entry: deactivation changes only by setActive or an import. */
function activityOf(stored: { inactive: boolean; deactivatedAt: string } | null) {
  return { inactive: stored?.inactive ?? false, deactivatedAt: stored?.deactivatedAt ?? '' };
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
    const stored = await this.directory.findProperty(property.groupId, property.id);
    const kept = { ...property, ...activityOf(stored) };
    await this.directory.upsertProperty(kept);
    this.properties.delete(`${property.groupId}:${property.id}`);
    return kept;
  }

  async upsertDepartment(input: unknown): Promise<DepartmentEntry> {
    const department = parse(departmentEntry, input, 'department');
    if (!(await this.directory.findProperty(department.groupId, department.propertyId)))
      throw unknownReference('propertyId', 'department');
    const kept = {
      ...department,
      ...activityOf(await this.directory.findDepartment(department.groupId, department.id)),
    };
    await this.directory.upsertDepartment(kept);
    return kept;
  }

  async upsertStaff(input: unknown): Promise<StaffEntry> {
    const staff = parse(staffEntry, input, 'staff member');
    for (const [i, propertyId] of staff.propertyIds.entries()) {
      if (!(await this.directory.findProperty(staff.groupId, propertyId)))
        throw unknownReference(`propertyIds.${i}`, 'staff member');
    }
    if (staff.regionId && !(await this.directory.findRegion(staff.groupId, staff.regionId)))
      throw unknownReference('regionId', 'staff member');
    const kept = { ...staff, ...activityOf(await this.directory.findStaff(staff.groupId, staff.id)) };
    await this.directory.upsertStaff(kept);
    this.staff.delete(`${staff.groupId}:${staff.id}`);
    return kept;
  }

  /**
   * Deactivates (or reactivates) an entry: kept with its history, no longer used for new work.
   * Deactivating again keeps the first date.
   */
  async setActive(
    groupId: string,
    kind: string,
    id: string,
    active: boolean,
    now = new Date(),
  ): Promise<PropertyEntry | DepartmentEntry | StaffEntry> {
    const activity = (stored: { inactive: boolean; deactivatedAt: string }) => ({
      inactive: !active,
      deactivatedAt: active ? '' : stored.inactive ? stored.deactivatedAt : now.toISOString(),
    });
    if (kind === 'property') {
      const stored = await this.directory.findProperty(groupId, id);
      if (!stored) throw new NotFoundError(`property ${id}`);
      const next = { ...stored, ...activity(stored) };
      await this.directory.upsertProperty(next);
      this.properties.delete(`${groupId}:${id}`);
      return next;
    }
    if (kind === 'department') {
      const stored = await this.directory.findDepartment(groupId, id);
      if (!stored) throw new NotFoundError(`department ${id}`);
      const next = { ...stored, ...activity(stored) };
      await this.directory.upsertDepartment(next);
      return next;
    }
    if (kind === 'staff') {
      const stored = await this.directory.findStaff(groupId, id);
      if (!stored) throw new NotFoundError(`staff member ${id}`);
      const next = { ...stored, ...activity(stored) };
      await this.directory.upsertStaff(next);
      this.staff.delete(`${groupId}:${id}`);
      return next;
    }
    throw new DomainError('invalid_argument', `invalid kind ${kind}: property, department or staff`, {
      kind: 'must be property, department or staff',
    });
  }

  /**
   * An import of master data (import-directory.ts): checked whole; applied only without
   * problems and unless a dry run, parents before children. The writes are upserts by id, so a
   * run cut short (a crash) is completed by running the same import again.
   */
  async importRows(groupId: string, rows: ImportRow[], dryRun: boolean, now = new Date()) {
    const plan = planImport(groupId, rows, await this.directory.list(groupId), now);
    const applied = plan.problems.length === 0 && !dryRun;
    if (applied) {
      for (const { type, entry } of plan.writes) {
        if (type === 'region') await this.directory.upsertRegion(entry);
        if (type === 'property') await this.directory.upsertProperty(entry as PropertyEntry);
        if (type === 'department') await this.directory.upsertDepartment(entry as DepartmentEntry);
        if (type === 'staff') await this.directory.upsertStaff(entry as StaffEntry);
        if (type === 'property') this.properties.delete(`${groupId}:${entry.id}`);
        if (type === 'staff') this.staff.delete(`${groupId}:${entry.id}`);
      }
    }
    return { ...plan, applied };
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

  /** A staff member of the group, read anew (names and levels change). */
  staffMember(groupId: string, staffId: string): Promise<StaffEntry | null> {
    return this.directory.findStaff(groupId, staffId);
  }

  async staffExists(groupId: string, staffId: string): Promise<boolean> {
    const key = `${groupId}:${staffId}`;
    if (this.staff.get(key)) return true;
    const exists = await this.directory.staffExists(groupId, staffId);
    if (exists) this.staff.set(key, true);
    return exists;
  }
}
