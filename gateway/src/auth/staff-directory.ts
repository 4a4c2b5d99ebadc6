import { Injectable } from '@nestjs/common';
import type { v1 } from '@complaints/contracts';
import { ROLE_LEVELS, type RoleLevel } from '@complaints/domain';
import { DirectoryClient } from '../grpc/grpc-clients';

/** The directory changes rarely; a signed-in request should not cost a gRPC call each time. */
const TTL_MS = 30_000;

/**
 * The group's directory as the gateway needs it for access decisions: staff by id (with their
 * department's kind) and each property's region. Read from intake's Directory, kept briefly.
 */
@Injectable()
export class StaffDirectory {
  private readonly cache = new Map<string, { at: number; directory: Promise<v1.ListDirectoryResponse> }>();

  constructor(private readonly directory: DirectoryClient) {}

  private async load(groupId: string): Promise<v1.ListDirectoryResponse> {
    const cached = this.cache.get(groupId);
    if (cached && Date.now() - cached.at < TTL_MS) return cached.directory;
    const directory = this.directory.call.listDirectory({ groupId });
    this.cache.set(groupId, { at: Date.now(), directory });
    // A failed read is not kept: the next request asks again.
    directory.catch(() => this.cache.delete(groupId));
    return directory;
  }

  /** After a change made here (a deactivation): read again on the next request. */
  forget(groupId: string): void {
    this.cache.delete(groupId);
  }

  /** The whole directory of the group (cached like the rest). */
  async of(groupId: string): Promise<v1.ListDirectoryResponse> {
    return this.load(groupId);
  }

  /** The staff member with their role level and department kind, or undefined if the group has none by that id. */
  async staff(
    groupId: string,
    staffId: string,
  ): Promise<{ record: v1.Staff; roleLevel: RoleLevel; departmentKind: string } | undefined> {
    const directory = await this.load(groupId);
    const record = directory.staff.find((staff) => staff.id === staffId);
    // A deactivated staff member (left the group) is nobody here: no sign-in, no acting as them.
    if (!record || record.inactive || !(ROLE_LEVELS as readonly string[]).includes(record.roleLevel)) return undefined;
    const department = directory.departments.find((d) => d.id === record.departmentId);
    return { record, roleLevel: record.roleLevel as RoleLevel, departmentKind: department?.kind ?? '' };
  }

  /** The region of a property of the group; empty when unknown. */
  async regionOf(groupId: string, propertyId: string): Promise<string> {
    const directory = await this.load(groupId);
    return directory.properties.find((property) => property.id === propertyId)?.regionId ?? '';
  }
}
