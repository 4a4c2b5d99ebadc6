import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { v1 } from '@complaints/contracts';
import { ROLE_LEVELS, type RoleLevel } from '@complaints/domain';
import { decide } from '../access/policy';
import { Caller } from '../auth/caller';
import { StaffDirectory } from '../auth/staff-directory';
import { ApiProblems } from '../openapi/problem-responses';
import { ApiZodQuery, ApiZodResponse } from '../openapi/zod-schemas';
import { ZodBody } from '../problems/zod-body.pipe';

export const colleaguesQuery = z.strictObject({
  propertyId: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .optional()
    .describe('only the staff who work at (or above) this property: those a confidential complaint there can name'),
  q: z.string().trim().min(1).max(100).optional().describe('part of the name, any case'),
});

const colleagueView = z.object({
  id: z.string(),
  name: z.string(),
  roleLevel: z.enum(ROLE_LEVELS),
  department: z.object({ id: z.string(), name: z.string() }).nullable(),
  propertyIds: z.array(z.string()).describe('their properties (empty for regional GMs and headquarters)'),
  regionId: z.string().describe('a regional GM’s region; empty otherwise'),
});
export const colleaguesView = z.object({ staff: z.array(colleagueView) });
type ColleaguesView = z.infer<typeof colleaguesView>;

/** The properties a staff member works at, as places the access policy can judge. */
function placesOf(staff: v1.Staff, directory: v1.ListDirectoryResponse) {
  if (staff.roleLevel === 'group_hq') return directory.properties;
  if (staff.roleLevel === 'regional_gm') return directory.properties.filter((p) => p.regionId === staff.regionId);
  return directory.properties.filter((p) => staff.propertyIds.includes(p.id));
}

/**
 * The group's staff as any caller may know them (names, levels, departments, places; never their
 * contact details), limited to people working where the caller sees: so that the desk can name
 * who may see a confidential complaint (保密服务) without the directory administration.
 */
@ApiTags('directory')
@Controller('v1')
export class ColleaguesController {
  constructor(private readonly directory: StaffDirectory) {}

  @Get('staff')
  @ApiOperation({ summary: 'Staff working where the caller sees (names, levels, departments), for picking people' })
  @ApiZodQuery(colleaguesQuery)
  @ApiZodResponse(200, 'Colleagues', colleaguesView, 'The staff, by name.')
  @ApiProblems('validation-error')
  async list(
    @Caller() caller: Caller,
    @Query(new ZodBody(colleaguesQuery)) query: z.infer<typeof colleaguesQuery>,
  ): Promise<ColleaguesView> {
    const directory = await this.directory.of(caller.groupId);
    const sees = (property: v1.Property) =>
      decide(caller, 'view', { kind: 'property', id: property.id, regionId: property.regionId }).outcome === 'allowed';
    const wanted = (property: v1.Property) => sees(property) && (!query.propertyId || property.id === query.propertyId);
    const needle = query.q?.toLowerCase();
    const staff = directory.staff
      .filter((member) => !member.inactive && (ROLE_LEVELS as readonly string[]).includes(member.roleLevel))
      .filter((member) => placesOf(member, directory).some(wanted))
      .filter((member) => !needle || member.name.toLowerCase().includes(needle))
      .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'))
      .map((member) => {
        const department = directory.departments.find((d) => d.id === member.departmentId);
        return {
          id: member.id,
          name: member.name,
          roleLevel: member.roleLevel as RoleLevel,
          department: department ? { id: department.id, name: department.name } : null,
          propertyIds: member.propertyIds,
          regionId: member.regionId,
        };
      });
    return { staff };
  }
}
