import { actingRefusal } from '../access/acting-for-staff';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import type { v1 } from '@complaints/contracts';
import { ROLE_LEVELS, type RoleLevel } from '@complaints/domain';
import { NotFoundError } from '@complaints/service-kit';
import { ACTIONS, decide, type Action, type Principal, type ScopeResource } from '../access/policy';
import { Caller } from '../auth/caller';
import { StaffDirectory } from '../auth/staff-directory';
import { ApiProblems } from '../openapi/problem-responses';
import { ApiZodQuery, ApiZodResponse } from '../openapi/zod-schemas';
import { ForbiddenError } from '../problems/errors';
import { ZodBody } from '../problems/zod-body.pipe';
import { meQuery, meView, type MeStaffView, type MeView } from './me.view';

/** Actions on a scope (not on one complaint): what `allowed` lists when the policy allows them on the group. */
const GROUP_ACTIONS: Action[] = ACTIONS.filter(
  (action) => !['act', 'approve', 'reassign', 'reveal_personal_data', 'spot_check'].includes(action),
);

function staffView(directory: v1.ListDirectoryResponse, staff: v1.Staff): MeStaffView {
  const property = (id: string) => ({ id, name: directory.properties.find((p) => p.id === id)?.name ?? id });
  const region = directory.regions.find((r) => r.id === staff.regionId);
  const department = directory.departments.find((d) => d.id === staff.departmentId);
  return {
    id: staff.id,
    name: staff.name,
    roleLevel: staff.roleLevel as RoleLevel,
    properties: staff.propertyIds.map(property),
    region: staff.regionId ? { id: staff.regionId, name: region?.name ?? staff.regionId } : null,
    department: department ? { id: department.id, name: department.name, kind: department.kind } : null,
    language: staff.language,
  };
}

/** Every scope of the group the policy lets the caller export (read reports of): group, regions, properties. */
function reportScopes(principal: Principal, directory: v1.ListDirectoryResponse): MeView['reportScopes'] {
  const candidates: { resource: ScopeResource; scope: string; name: string }[] = [
    { resource: { kind: 'group' }, scope: 'group', name: principal.groupId },
    ...directory.regions.map((region) => ({
      resource: { kind: 'region' as const, id: region.id },
      scope: `region:${region.id}`,
      name: region.name,
    })),
    ...directory.properties.map((property) => ({
      resource: { kind: 'property' as const, id: property.id, regionId: property.regionId },
      scope: `property:${property.id}`,
      name: property.name,
    })),
  ];
  return candidates
    .filter(({ resource }) => decide(principal, 'export', resource).outcome === 'allowed')
    .map(({ scope, name }) => ({ scope, name }));
}

/** The properties the caller sees, by the policy's `view` on each. */
function scopeProperties(principal: Principal, directory: v1.ListDirectoryResponse): MeView['scopeProperties'] {
  return directory.properties
    .filter(
      (property) =>
        decide(principal, 'view', { kind: 'property', id: property.id, regionId: property.regionId }).outcome ===
        'allowed',
    )
    .map((property) => ({ id: property.id, name: property.name, regionId: property.regionId }));
}

/** Who is calling: the console asks once after sign-in, to know the person, their places and their pages. */
@ApiTags('me')
@Controller('v1')
export class MeController {
  constructor(private readonly directory: StaffDirectory) {}

  @Get('me')
  @ApiOperation({
    summary: 'Who the caller is (staff member or API key) and what the access policy lets them do on the group',
  })
  @ApiZodQuery(meQuery)
  @ApiZodResponse(200, 'Me', meView, 'The caller, their properties and the actions allowed on the whole group.')
  @ApiProblems('not-found', 'forbidden')
  async me(@Caller() caller: Caller, @Query(new ZodBody(meQuery)) query: z.infer<typeof meQuery>): Promise<MeView> {
    const directory = await this.directory.of(caller.groupId);
    const allowed = GROUP_ACTIONS.filter((action) => decide(caller, action, { kind: 'group' }).outcome === 'allowed');
    if (caller.kind === 'staff') {
      if (query.actingAs && query.actingAs !== caller.staffId)
        throw new ForbiddenError('staff act as themselves: actingAs is for API keys');
      const record = directory.staff.find((staff) => staff.id === caller.staffId);
      if (!record) throw new NotFoundError(`staff ${caller.staffId}`);
      return {
        kind: 'staff',
        groupId: caller.groupId,
        staff: staffView(directory, record),
        apiKey: null,
        allowed,
        scopeProperties: scopeProperties(caller, directory),
        reportScopes: reportScopes(caller, directory),
      };
    }
    let staff: MeStaffView | null = null;
    if (query.actingAs) {
      const record = directory.staff.find((candidate) => candidate.id === query.actingAs);
      if (!record || !(ROLE_LEVELS as readonly string[]).includes(record.roleLevel))
        throw new NotFoundError(`staff ${query.actingAs}`);
      // The console's developer sign-in acts through the key: only for staff the key may act for.
      const refusal = actingRefusal(
        caller,
        { name: record.name, roleLevel: record.roleLevel as RoleLevel, propertyIds: record.propertyIds },
        { kind: 'act' },
      );
      if (refusal) throw new ForbiddenError(refusal);
      staff = staffView(directory, record);
    }
    const propertyName = (id: string) => directory.properties.find((p) => p.id === id)?.name ?? id;
    return {
      kind: 'partner',
      groupId: caller.groupId,
      staff,
      apiKey: {
        id: caller.keyId,
        name: caller.keyName,
        properties: caller.propertyIds?.map((id) => ({ id, name: propertyName(id) })) ?? null,
        admin: caller.admin,
      },
      allowed,
      scopeProperties: scopeProperties(caller, directory),
      reportScopes: reportScopes(caller, directory),
    };
  }
}
