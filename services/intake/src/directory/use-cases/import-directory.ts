import type { z } from 'zod';
import type { v1 } from '@complaints/contracts';
import {
  departmentEntry,
  propertyEntry,
  regionEntry,
  staffEntry,
  type DepartmentEntry,
  type PropertyEntry,
  type RegionEntry,
  type StaffEntry,
} from '../directory.entries';

export const IMPORT_TYPES = ['region', 'property', 'department', 'staff'] as const;
export type ImportType = (typeof IMPORT_TYPES)[number];

/** One row of an import file as the gateway read it: its row number, type and fields. */
export interface ImportRow {
  row: number;
  type: string;
  fields: Record<string, unknown>;
}

export interface Directory {
  regions: RegionEntry[];
  properties: PropertyEntry[];
  departments: DepartmentEntry[];
  staff: StaffEntry[];
}

type Entry = RegionEntry | PropertyEntry | DepartmentEntry | StaffEntry;

const SCHEMAS: Record<ImportType, z.ZodType<Entry>> = {
  region: regionEntry,
  property: propertyEntry,
  department: departmentEntry,
  staff: staffEntry,
};
const LIST: Record<ImportType, keyof Directory> = {
  region: 'regions',
  property: 'properties',
  department: 'departments',
  staff: 'staff',
};

export interface ImportPlan {
  problems: v1.ImportProblem[];
  /** What to write, parents before children: only entries that change. */
  writes: { type: ImportType; entry: Entry }[];
  created: number;
  updated: number;
  unchanged: number;
  deactivatedStaffIds: string[];
  deactivatedDepartmentIds: string[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, sorted(v)]),
  );
}

/**
 * Checks a whole import against itself and the group's directory as it is, and says what it
 * would change (SPEC §1 master data). Every problem is found, by row and field, so an
 * administrator fixes the file once; with any problem nothing is written. Rows are created or
 * replace the entry with the same id; entries the file does not name stay as they are. An entry
 * whose `inactive` changes gets its `deactivatedAt` now (or '' when reactivated).
 */
export function planImport(groupId: string, rows: ImportRow[], current: Directory, now: Date): ImportPlan {
  const problems: v1.ImportProblem[] = [];
  const problem = (row: number, field: string, reason: string) => problems.push({ row, field, reason });
  const incoming: Record<ImportType, Map<string, { row: number; entry: Entry }>> = {
    region: new Map(),
    property: new Map(),
    department: new Map(),
    staff: new Map(),
  };
  for (const { row, type, fields } of rows) {
    if (!(IMPORT_TYPES as readonly string[]).includes(type)) {
      problem(row, 'type', `must be one of ${IMPORT_TYPES.join(', ')}`);
      continue;
    }
    const kind = type as ImportType;
    const parsed = SCHEMAS[kind].safeParse({ ...fields, groupId });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problem(row, issue.path.join('.') || '(row)', issue.message);
      continue;
    }
    const earlier = incoming[kind].get(parsed.data.id);
    if (earlier) {
      problem(row, 'id', `${kind} ${parsed.data.id} is also on row ${earlier.row}`);
      continue;
    }
    incoming[kind].set(parsed.data.id, { row, entry: parsed.data });
  }

  const known = (kind: ImportType, id: string) =>
    incoming[kind].has(id) || (current[LIST[kind]] as { id: string }[]).some((entry) => entry.id === id);
  for (const { row, entry } of incoming.property.values()) {
    const property = entry as PropertyEntry;
    if (!known('region', property.regionId)) problem(row, 'regionId', 'no such region in the group or the file');
  }
  // Codes number complaints: unique across the group as it will be.
  const codes = new Map<string, string>();
  for (const property of current.properties)
    if (!incoming.property.has(property.id)) codes.set(property.code, property.id);
  for (const { row, entry } of incoming.property.values()) {
    const { code, id } = entry as PropertyEntry;
    const holder = codes.get(code);
    if (holder && holder !== id) problem(row, 'code', `already used by property ${holder}`);
    else codes.set(code, id);
  }
  for (const { row, entry } of incoming.department.values()) {
    const department = entry as DepartmentEntry;
    if (!known('property', department.propertyId))
      problem(row, 'propertyId', 'no such property in the group or the file');
  }
  for (const { row, entry } of incoming.staff.values()) {
    const staff = entry as StaffEntry;
    staff.propertyIds.forEach((propertyId, i) => {
      if (!known('property', propertyId)) problem(row, `propertyIds.${i}`, 'no such property in the group or the file');
    });
    if (staff.regionId && !known('region', staff.regionId))
      problem(row, 'regionId', 'no such region in the group or the file');
    if (staff.departmentId && !known('department', staff.departmentId))
      problem(row, 'departmentId', 'no such department in the group or the file');
  }

  const plan: ImportPlan = {
    problems: problems.sort((a, b) => a.row - b.row),
    writes: [],
    created: 0,
    updated: 0,
    unchanged: 0,
    deactivatedStaffIds: [],
    deactivatedDepartmentIds: [],
  };
  for (const kind of IMPORT_TYPES) {
    for (const { entry } of incoming[kind].values()) {
      const stored = (current[LIST[kind]] as Entry[]).find((candidate) => candidate.id === entry.id);
      const next = withActivity(entry, stored, now);
      if (!stored) plan.created++;
      else if (same(next, stored)) {
        plan.unchanged++;
        continue;
      } else plan.updated++;
      plan.writes.push({ type: kind, entry: next });
      const wasActive = !stored || !('inactive' in stored) || !stored.inactive;
      if ('inactive' in next && next.inactive && wasActive) {
        if (kind === 'staff') plan.deactivatedStaffIds.push(next.id);
        if (kind === 'department') plan.deactivatedDepartmentIds.push(next.id);
      }
    }
  }
  return plan;
}

function withActivity(entry: Entry, stored: Entry | undefined, now: Date): Entry {
  if (!('inactive' in entry)) return entry;
  const before = stored && 'inactive' in stored ? stored : undefined;
  if (!entry.inactive) return { ...entry, deactivatedAt: '' };
  return { ...entry, deactivatedAt: before?.inactive ? before.deactivatedAt : now.toISOString() };
}
