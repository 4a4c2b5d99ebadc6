import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AdminOnly } from '../auth/admin-only.decorator';
import { Caller } from '../auth/caller';
import { ApiProblems } from '../openapi/problem-responses';
import { ApiZodQuery, ApiZodResponse } from '../openapi/zod-schemas';
import { ZodBody } from '../problems/zod-body.pipe';
import { AUDIT_OUTCOMES, AUDIT_SUBJECTS, type AuditEntry } from './audit-entry.schema';
import { AuditRepository } from './audit.repository';

const auditQuery = z.strictObject({
  subject: z.enum(AUDIT_SUBJECTS).optional(),
  target: z.string().min(1).max(200).optional().describe('the id changed: a region, property, key …'),
  actorId: z.string().min(1).max(200).optional().describe('the API key id, staff id, or `operator`'),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const auditEntryView = z.object({
  id: z.string(),
  at: z.iso.datetime(),
  actor: z.object({ kind: z.string(), id: z.string(), name: z.string() }),
  subject: z.enum(AUDIT_SUBJECTS),
  target: z.string(),
  action: z.string().describe('The request that made the change: `PUT /v1/policies/regions/:id`.'),
  before: z.unknown().describe('The subject before the change (secrets redacted); null for something new.'),
  after: z.unknown().describe('The subject after it; null when it failed or is not known yet.'),
  outcome: z.enum(AUDIT_OUTCOMES).describe('`attempted`: the change began and its end was not recorded.'),
  status: z.number().int().nullable().describe('The refusal’s HTTP status when it failed.'),
});
const auditPage = z.object({ items: z.array(auditEntryView), nextCursor: z.string().nullable() });

function toView(entry: AuditEntry): z.infer<typeof auditEntryView> {
  return {
    id: entry._id,
    at: entry.at.toISOString(),
    actor: entry.actor,
    subject: entry.subject,
    target: entry.target,
    action: entry.action,
    before: entry.before,
    after: entry.after,
    outcome: entry.outcome,
    status: entry.status,
  };
}

@ApiTags('audit')
@Controller('v1/admin/audit')
export class AuditController {
  constructor(private readonly audit: AuditRepository) {}

  @Get()
  @AdminOnly('audit_access_log')
  @ApiOperation({
    summary:
      'Every change to the group’s administration (settings, policies, calendars, rules, templates, directory, keys, the group itself): who, when, before and after; newest first',
  })
  @ApiZodQuery(auditQuery)
  @ApiZodResponse(200, 'AuditPage', auditPage, 'A page of entries and the cursor of the next (null on the last).')
  @ApiProblems('forbidden')
  async list(@Caller() caller: Caller, @Query(new ZodBody(auditQuery)) query: z.infer<typeof auditQuery>) {
    const page = await this.audit.list(caller.groupId, {
      ...query,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
    });
    return { items: page.items.map(toView), nextCursor: page.nextCursor };
  }
}
