import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { AdminOnly } from '../auth/admin-only.decorator';
import { Caller } from '../auth/caller';
import { DirectoryClient } from '../grpc/grpc-clients';
import { ApiZodBody } from '../openapi/zod-schemas';
import { ZodBody } from '../problems/zod-body.pipe';
import { departmentBody, propertyBody, regionBody, staffBody } from './directory.body';

/** Master data of the caller's group: regions, properties, departments, staff. PUT creates or replaces. */
@ApiTags('directory')
@AdminOnly('manage_master_data')
@Controller('v1/admin')
export class DirectoryController {
  constructor(private readonly directory: DirectoryClient) {}

  @Get('directory')
  @ApiOperation({ summary: 'The group’s regions, properties, departments and staff' })
  @ApiOkResponse({ description: 'The directory of the group.' })
  async list(@Caller() caller: Caller) {
    return this.directory.call.listDirectory({ groupId: caller.groupId });
  }

  @Put('regions/:id')
  @ApiOperation({ summary: 'Creates or replaces a region of the group' })
  @ApiZodBody('Region', regionBody)
  @ApiOkResponse({ description: 'The stored region.' })
  async putRegion(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(regionBody)) body: z.infer<typeof regionBody>,
  ) {
    const { region } = await this.directory.call.upsertRegion({ region: { ...body, id, groupId: caller.groupId } });
    return region;
  }

  @Put('properties/:id')
  @ApiOperation({ summary: 'Creates or replaces a property of the group' })
  @ApiZodBody('Property', propertyBody)
  @ApiOkResponse({ description: 'The stored property.' })
  async putProperty(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(propertyBody)) body: z.infer<typeof propertyBody>,
  ) {
    const { property } = await this.directory.call.upsertProperty({
      property: { ...body, id, groupId: caller.groupId },
    });
    return property;
  }

  @Put('departments/:id')
  @ApiOperation({ summary: 'Creates or replaces a department of the group' })
  @ApiZodBody('Department', departmentBody)
  @ApiOkResponse({ description: 'The stored department.' })
  async putDepartment(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(departmentBody)) body: z.infer<typeof departmentBody>,
  ) {
    const { department } = await this.directory.call.upsertDepartment({
      department: { ...body, id, groupId: caller.groupId },
    });
    return department;
  }

  @Put('staff/:id')
  @ApiOperation({ summary: 'Creates or replaces a staff of the group' })
  @ApiZodBody('Staff', staffBody)
  @ApiOkResponse({ description: 'The stored staff.' })
  async putStaff(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(staffBody)) body: z.infer<typeof staffBody>,
  ) {
    const { staff } = await this.directory.call.upsertStaff({ staff: { ...body, id, groupId: caller.groupId } });
    return staff;
  }
}
