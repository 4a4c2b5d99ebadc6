import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, SetMetadata, UseGuards } from '@nestjs/common';
import { AuditedGroupChange } from '../audit/audited.decorator';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { IS_PUBLIC } from '../auth/public.decorator';
import { ApiProblems } from '../openapi/problem-responses';
import { ApiZodBody, ApiZodResponse } from '../openapi/zod-schemas';
import { ZodBody } from '../problems/zod-body.pipe';
import {
  createdGroupView,
  createGroupBody,
  groupList,
  groupView,
  toGroupView,
  updateGroupBody,
  type CreateGroupBody,
  type GroupView,
  type UpdateGroupBody,
} from './group.views';
import { GroupsRepository } from './groups.repository';
import { PlatformOperatorGuard } from './platform-operator.guard';
import { ManageGroups } from './use-cases/manage-groups';

/** Suspend and resume say everything in their path. */
const noBody = z.strictObject({}).default({}).describe('empty, or no body at all');
const adminKeyBody = z.strictObject({ name: z.string().trim().min(1).max(200).default('admin') });
const adminKeyView = z.object({
  adminKey: z.string().describe('A new admin API key of the group. Shown once.'),
});

/**
 * The platform operator's API: the groups themselves (SPEC §1 tenancy). Outside every group: the
 * group guard lets it through and the operator's credential is checked here instead.
 */
@ApiTags('platform')
@ApiBearerAuth('operator')
@SetMetadata(IS_PUBLIC, true)
@UseGuards(PlatformOperatorGuard)
@Controller('v1/platform/groups')
export class PlatformGroupsController {
  constructor(
    private readonly manage: ManageGroups,
    private readonly groups: GroupsRepository,
  ) {}

  @Post()
  @AuditedGroupChange()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a group with its first admin API key and, optionally, its staff sign-in' })
  @ApiZodBody('CreateGroup', createGroupBody)
  @ApiZodResponse(201, 'CreatedGroup', createdGroupView, 'Created. Hand `adminKey` to the group’s administrator now.')
  @ApiProblems('conflict')
  async create(@Body(new ZodBody(createGroupBody)) body: CreateGroupBody) {
    const { record, adminKey } = await this.manage.create(body);
    return { ...toGroupView(record), adminKey };
  }

  @Get()
  @ApiOperation({ summary: 'List every group, suspended and removed ones included' })
  @ApiZodResponse(200, 'GroupList', groupList, 'The groups, oldest first.')
  async list(): Promise<{ items: GroupView[] }> {
    return { items: (await this.groups.list()).map(toGroupView) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One group' })
  @ApiZodResponse(200, 'Group', groupView, 'The group.')
  async get(@Param('id') id: string): Promise<GroupView> {
    return toGroupView(await this.manage.find(id));
  }

  @Patch(':id')
  @AuditedGroupChange<PlatformGroupsController>((c, p) => c.get(p.id))
  @ApiOperation({ summary: 'Rename a group or change where its staff sign in (takes effect within seconds)' })
  @ApiZodBody('UpdateGroup', updateGroupBody)
  @ApiZodResponse(200, 'Group', groupView, 'The group as changed.')
  @ApiProblems('conflict')
  async update(@Param('id') id: string, @Body(new ZodBody(updateGroupBody)) body: UpdateGroupBody): Promise<GroupView> {
    return toGroupView((await this.manage.update(id, body)).after);
  }

  @Post(':id/suspend')
  @AuditedGroupChange<PlatformGroupsController>((c, p) => c.get(p.id))
  @HttpCode(200)
  @ApiOperation({
    summary: 'Suspend a group: its keys and sign-in are refused and nobody is notified; its data is kept',
  })
  @ApiZodBody('SuspendGroup', noBody)
  @ApiZodResponse(200, 'Group', groupView, 'The group, suspended (or already was).')
  @ApiProblems('conflict')
  async suspend(@Param('id') id: string, @Body(new ZodBody(noBody)) _body: object): Promise<GroupView> {
    return toGroupView((await this.manage.suspend(id)).after);
  }

  @Post(':id/resume')
  @AuditedGroupChange<PlatformGroupsController>((c, p) => c.get(p.id))
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume a suspended group' })
  @ApiZodBody('ResumeGroup', noBody)
  @ApiZodResponse(200, 'Group', groupView, 'The group, active again (or already was).')
  @ApiProblems('conflict')
  async resume(@Param('id') id: string, @Body(new ZodBody(noBody)) _body: object): Promise<GroupView> {
    return toGroupView((await this.manage.resume(id)).after);
  }

  @Delete(':id')
  @AuditedGroupChange<PlatformGroupsController>((c, p) => c.get(p.id))
  @ApiOperation({
    summary: 'Remove a suspended group: its keys are revoked, its sign-in dropped, its id never reused',
  })
  @ApiZodResponse(200, 'Group', groupView, 'The group, removed.')
  @ApiProblems('conflict')
  async remove(@Param('id') id: string): Promise<GroupView> {
    return toGroupView((await this.manage.remove(id)).after);
  }

  @Post(':id/admin-keys')
  @AuditedGroupChange()
  @HttpCode(201)
  @ApiOperation({ summary: 'Issue another admin API key for an active group (its administrator lost theirs)' })
  @ApiZodBody('IssueAdminKey', adminKeyBody)
  @ApiZodResponse(201, 'IssuedAdminKey', adminKeyView, 'Issued. Shown once.')
  @ApiProblems('conflict')
  async issueAdminKey(
    @Param('id') id: string,
    @Body(new ZodBody(adminKeyBody)) body: z.infer<typeof adminKeyBody>,
  ): Promise<z.infer<typeof adminKeyView>> {
    return { adminKey: await this.manage.issueAdminKey(id, body.name) };
  }
}
