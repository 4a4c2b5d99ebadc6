import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { NotFoundError } from '@complaints/service-kit';
import { z } from 'zod';
import { administeredProperties, departmentOutside, staffOutside } from '../access/property-admin';
import { Audited } from '../audit/audited.decorator';
import { AdminOnly } from '../auth/admin-only.decorator';
import { Caller, callerActor } from '../auth/caller';
import { StaffDirectory } from '../auth/staff-directory';
import { DirectoryClient } from '../grpc/grpc-clients';
import { ApiProblems } from '../openapi/problem-responses';
import { ApiZodBody, ApiZodResponse } from '../openapi/zod-schemas';
import { ForbiddenError } from '../problems/errors';
import { ZodBody } from '../problems/zod-body.pipe';
import { HandOnOpenWork } from './hand-on-open-work';

const KINDS = { staff: 'staff', departments: 'department', properties: 'property' } as const;
type Kinds = keyof typeof KINDS;

const deactivateBody = z.strictObject({
  reason: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .describe('Why (left the group, department merged …): on the timeline of every complaint handed on.'),
});
const reactivateBody = z.strictObject({});
const activityView = z.object({
  entry: z.record(z.string(), z.unknown()).describe('The entry as stored now: `inactive` and `deactivatedAt`.'),
  handedOn: z
    .array(
      z.object({
        complaintId: z.string(),
        number: z.string(),
        handler: z.object({ id: z.string(), name: z.string() }).nullable().describe('null: nobody on duty there now.'),
      }),
    )
    .describe('Unfinished complaints of the staff member or department, handed on by the routing rules.'),
});
type ActivityView = z.infer<typeof activityView>;

/**
 * Staff leave, departments merge, properties are sold: each is deactivated, not deleted, so the
 * history that names it stays readable. A deactivated staff member cannot sign in and is never
 * chosen; a deactivated department gets nothing more; a deactivated property takes no new
 * complaints. The unfinished work of a staff member or department is handed on at once by the
 * routing rules (a property's open complaints stay where they are, to be finished).
 */
@ApiTags('directory')
@Controller('v1/admin')
export class DirectoryActivityController {
  constructor(
    private readonly directory: DirectoryClient,
    private readonly staffDirectory: StaffDirectory,
    private readonly handOnWork: HandOnOpenWork,
  ) {}

  /** The entry as stored, after checking an admin key limited to properties may touch it. */
  async entry(caller: Caller, kind: Kinds, id: string): Promise<Record<string, unknown>> {
    const directory = await this.directory.call.listDirectory({ groupId: caller.groupId });
    const within = administeredProperties(caller);
    const outside = (why: string | undefined) => {
      if (within && why) throw new ForbiddenError(why);
    };
    const missing = () => new NotFoundError(`${KINDS[kind]} ${id}`);
    if (kind === 'staff') {
      const member = directory.staff.find((candidate) => candidate.id === id);
      if (!member) throw missing();
      if (within) outside(staffOutside(within, member));
      return { ...member };
    }
    if (kind === 'departments') {
      const department = directory.departments.find((candidate) => candidate.id === id);
      if (!department) throw missing();
      if (within) outside(departmentOutside(within, department));
      return { ...department };
    }
    const property = directory.properties.find((candidate) => candidate.id === id);
    if (!property) throw missing();
    if (within && !within.has(id)) outside(`this API key administers only its own properties, not ${id}`);
    return { ...property };
  }

  @Post(':kind/:id/deactivate')
  @HttpCode(200)
  @Audited<DirectoryActivityController>('directory_activity', (c, caller, p) => c.entry(caller, kindOf(p.kind), p.id))
  @AdminOnly('manage_master_data', { perProperty: true })
  @ApiOperation({
    summary:
      'Deactivate a staff member, department or property (`kind`: staff, departments, properties); its unfinished work is handed on',
  })
  @ApiZodBody('Deactivation', deactivateBody)
  @ApiZodResponse(200, 'Activity', activityView, 'Deactivated (or already was), and what was handed on to whom.')
  @ApiProblems('forbidden')
  async deactivate(
    @Caller() caller: Caller,
    @Param('kind') kind: string,
    @Param('id') id: string,
    @Body(new ZodBody(deactivateBody)) body: z.infer<typeof deactivateBody>,
  ): Promise<ActivityView> {
    const entry = await this.setActive(caller, kindOf(kind), id, false);
    const handedOn = await this.handOnWork.handOn(
      caller.groupId,
      callerActor(caller),
      kind === 'staff' ? { staffIds: [id] } : kind === 'departments' ? { departmentIds: [id] } : {},
      body.reason,
    );
    return { entry, handedOn };
  }

  @Post(':kind/:id/reactivate')
  @HttpCode(200)
  @Audited<DirectoryActivityController>('directory_activity', (c, caller, p) => c.entry(caller, kindOf(p.kind), p.id))
  @AdminOnly('manage_master_data', { perProperty: true })
  @ApiOperation({ summary: 'Reactivate a staff member, department or property; nothing is handed back' })
  @ApiZodBody('Reactivation', reactivateBody)
  @ApiZodResponse(200, 'Activity', activityView, 'Active again.')
  @ApiProblems('forbidden')
  async reactivate(
    @Caller() caller: Caller,
    @Param('kind') kind: string,
    @Param('id') id: string,
    @Body(new ZodBody(reactivateBody)) _body: object,
  ): Promise<ActivityView> {
    return { entry: await this.setActive(caller, kindOf(kind), id, true), handedOn: [] };
  }

  private async setActive(caller: Caller, kind: Kinds, id: string, active: boolean) {
    await this.entry(caller, kind, id);
    const { entryJson } = await this.directory.call.setActive({
      groupId: caller.groupId,
      kind: KINDS[kind],
      id,
      active,
    });
    // Sign-in and the colleague list read the directory through this cache: they must see it now.
    this.staffDirectory.forget(caller.groupId);
    return JSON.parse(entryJson) as Record<string, unknown>;
  }
}

function kindOf(kind: string | undefined): Kinds {
  if (kind === 'staff' || kind === 'departments' || kind === 'properties') return kind;
  throw new NotFoundError(`${kind ?? ''} (kind: staff, departments or properties)`);
}
