import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { Audited } from '../audit/audited.decorator';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { administeredProperties, departmentOutside, directoryWithin, staffOutside } from '../access/property-admin';
import { AdminOnly } from '../auth/admin-only.decorator';
import { Caller } from '../auth/caller';
import { StaffDirectory } from '../auth/staff-directory';
import { DirectoryClient } from '../grpc/grpc-clients';
import { ApiProblems } from '../openapi/problem-responses';
import { ApiZodBody } from '../openapi/zod-schemas';
import { ForbiddenError } from '../problems/errors';
import { ZodBody } from '../problems/zod-body.pipe';
import { departmentBody, propertyBody, regionBody, staffBody } from './directory.body';

/** A PUT never (re)activates: intake keeps what is stored (deactivation has routes of its own). */
const KEPT_BY_INTAKE = { inactive: false, deactivatedAt: '' };

/**
 * Master data of the caller's group: regions, properties, departments, staff. PUT creates or
 * replaces. An admin key limited to properties sees and writes only those properties, their
 * departments and their staff up to property head (access/property-admin.ts); regions need an
 * admin key of the whole group.
 */
@ApiTags('directory')
@AdminOnly('manage_master_data')
@Controller('v1/admin')
export class DirectoryController {
  constructor(
    private readonly directory: DirectoryClient,
    private readonly staffDirectory: StaffDirectory,
  ) {}

  /** The directory as stored, for judging what an admin key limited to properties writes. */
  private async stored(caller: Caller) {
    return this.directory.call.listDirectory({ groupId: caller.groupId });
  }

  @Get('directory')
  @ApiOperation({ summary: 'The group’s regions, properties, departments and staff' })
  @ApiOkResponse({ description: 'The directory of the group.' })
  @AdminOnly('manage_master_data', { perProperty: true })
  async list(@Caller() caller: Caller) {
    const directory = await this.stored(caller);
    const within = administeredProperties(caller);
    return within ? directoryWithin(directory, within) : directory;
  }

  @Put('regions/:id')
  @Audited<DirectoryController>('region', (c, caller, p) =>
    c.list(caller).then((directory) => directory.regions.find((item: { id: string }) => item.id === p.id) ?? null),
  )
  @ApiOperation({ summary: 'Creates or replaces a region of the group' })
  @ApiZodBody('Region', regionBody)
  @ApiOkResponse({ description: 'The stored region.' })
  async putRegion(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(regionBody)) body: z.infer<typeof regionBody>,
  ) {
    const { region } = await this.directory.call.upsertRegion({ region: { ...body, id, groupId: caller.groupId } });
    // The next request through this replica sees the change, not a cached directory.
    this.staffDirectory.forget(caller.groupId);
    return region;
  }

  @Put('properties/:id')
  @Audited<DirectoryController>('property', (c, caller, p) =>
    c.list(caller).then((directory) => directory.properties.find((item: { id: string }) => item.id === p.id) ?? null),
  )
  @AdminOnly('manage_master_data', { perProperty: true })
  @ApiOperation({ summary: 'Creates or replaces a property of the group' })
  @ApiZodBody('Property', propertyBody)
  @ApiOkResponse({ description: 'The stored property.' })
  @ApiProblems('conflict')
  async putProperty(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(propertyBody)) body: z.infer<typeof propertyBody>,
  ) {
    const within = administeredProperties(caller);
    if (within) {
      if (!within.has(id)) throw new ForbiddenError(`this API key administers only its own properties, not ${id}`);
      // Adding a property, or moving one to another region, shapes the group: not for this key.
      const stored = (await this.stored(caller)).properties.find((property) => property.id === id);
      if (stored?.regionId !== body.regionId) {
        throw new ForbiddenError(
          'adding a property or moving it to another region needs an admin API key of the whole group',
        );
      }
    }
    const { property } = await this.directory.call.upsertProperty({
      property: { ...body, id, groupId: caller.groupId, ...KEPT_BY_INTAKE },
    });
    this.staffDirectory.forget(caller.groupId);
    return property;
  }

  @Put('departments/:id')
  @Audited<DirectoryController>('department', (c, caller, p) =>
    c.list(caller).then((directory) => directory.departments.find((item: { id: string }) => item.id === p.id) ?? null),
  )
  @AdminOnly('manage_master_data', { perProperty: true })
  @ApiOperation({ summary: 'Creates or replaces a department of the group' })
  @ApiZodBody('Department', departmentBody)
  @ApiOkResponse({ description: 'The stored department.' })
  async putDepartment(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(departmentBody)) body: z.infer<typeof departmentBody>,
  ) {
    const within = administeredProperties(caller);
    if (within) {
      const stored = (await this.stored(caller)).departments.find((department) => department.id === id);
      const outside = departmentOutside(within, body, stored);
      if (outside) throw new ForbiddenError(outside);
    }
    const { department } = await this.directory.call.upsertDepartment({
      department: { ...body, id, groupId: caller.groupId, ...KEPT_BY_INTAKE },
    });
    this.staffDirectory.forget(caller.groupId);
    return department;
  }

  @Put('staff/:id')
  @Audited<DirectoryController>('staff', (c, caller, p) =>
    c.list(caller).then((directory) => directory.staff.find((item: { id: string }) => item.id === p.id) ?? null),
  )
  @AdminOnly('manage_master_data', { perProperty: true })
  @ApiOperation({ summary: 'Creates or replaces a staff of the group' })
  @ApiZodBody('Staff', staffBody)
  @ApiOkResponse({ description: 'The stored staff.' })
  async putStaff(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(staffBody)) body: z.infer<typeof staffBody>,
  ) {
    const within = administeredProperties(caller);
    if (within) {
      const directory = await this.stored(caller);
      const department = directory.departments.find((candidate) => candidate.id === body.departmentId);
      const outside =
        staffOutside(
          within,
          body,
          directory.staff.find((member) => member.id === id),
        ) ?? (body.departmentId === '' ? undefined : departmentOutside(within, department ?? { propertyId: '' }));
      if (outside) throw new ForbiddenError(outside);
    }
    const { staff } = await this.directory.call.upsertStaff({
      staff: { ...body, id, groupId: caller.groupId, ...KEPT_BY_INTAKE },
    });
    this.staffDirectory.forget(caller.groupId);
    return staff;
  }
}
