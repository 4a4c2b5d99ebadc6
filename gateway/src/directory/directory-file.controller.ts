import { Controller, Get, HttpCode, Post, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { Audited } from '../audit/audited.decorator';
import { AdminOnly } from '../auth/admin-only.decorator';
import { Caller, callerActor } from '../auth/caller';
import { StaffDirectory } from '../auth/staff-directory';
import { DirectoryClient } from '../grpc/grpc-clients';
import { ApiProblems } from '../openapi/problem-responses';
import { ApiZodQuery, ApiZodResponse } from '../openapi/zod-schemas';
import { ValidationProblem } from '../problems/errors';
import { ZodBody } from '../problems/zod-body.pipe';
import {
  DIRECTORY_FILE_FORMATS,
  readDirectoryFile,
  writeDirectoryFile,
  type DirectoryFileFormat,
} from './directory-file';
import { HandOnOpenWork } from './hand-on-open-work';

const exportQuery = z.strictObject({ format: z.enum(DIRECTORY_FILE_FORMATS).default('xlsx') });
const importQuery = z.strictObject({
  dryRun: z
    .enum(['true', 'false'])
    .default('true')
    .describe('true (the default): only check and say what would change; false: apply, all or nothing'),
});
const importReport = z.object({
  dryRun: z.boolean(),
  applied: z.boolean().describe('false for a dry run and whenever there is a problem: then nothing was written'),
  problems: z.array(z.object({ row: z.number().int(), field: z.string(), reason: z.string() })),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  handedOn: z
    .array(
      z.object({
        complaintId: z.string(),
        number: z.string(),
        handler: z.object({ id: z.string(), name: z.string() }).nullable(),
      }),
    )
    .describe('Unfinished complaints of staff and departments the import deactivated, handed on by the routing rules.'),
});
type ImportReport = z.infer<typeof importReport>;

const CONTENT_TYPES: Record<DirectoryFileFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

function formatOf(file: Express.Multer.File): DirectoryFileFormat | undefined {
  const name = file.originalname.toLowerCase();
  if (name.endsWith('.csv') || file.mimetype.startsWith('text/csv')) return 'csv';
  if (name.endsWith('.xlsx') || file.mimetype === CONTENT_TYPES.xlsx) return 'xlsx';
  return undefined;
}

/**
 * The whole directory as a file, and back: an administrator exports it, edits it in a spreadsheet
 * (or prepares a new group's), checks the import (every problem by row) and applies it, all or
 * nothing. Needs an admin of the whole group: an import may touch any property.
 */
@ApiTags('directory')
@AdminOnly('manage_master_data')
@Controller('v1/admin/directory')
export class DirectoryFileController {
  constructor(
    private readonly directory: DirectoryClient,
    private readonly staffDirectory: StaffDirectory,
    private readonly handOnWork: HandOnOpenWork,
  ) {}

  @Get('export')
  @ApiOperation({ summary: 'The directory as one table (CSV or XLSX): regions, properties, departments and staff' })
  @ApiZodQuery(exportQuery)
  @ApiProduces(CONTENT_TYPES.csv, CONTENT_TYPES.xlsx)
  async export(
    @Caller() caller: Caller,
    @Query(new ZodBody(exportQuery)) query: z.infer<typeof exportQuery>,
    @Res() response: Response,
  ): Promise<void> {
    const directory = await this.directory.call.listDirectory({ groupId: caller.groupId });
    const content = await writeDirectoryFile(directory, query.format);
    response
      .status(200)
      .setHeader('Content-Type', CONTENT_TYPES[query.format])
      .setHeader(
        'Content-Disposition',
        `attachment; filename*=UTF-8''directory-${encodeURIComponent(caller.groupId)}.${query.format}`,
      )
      .send(content);
  }

  @Post('import')
  @HttpCode(200)
  @Audited('directory_import')
  @UseInterceptors(FileInterceptor('file'))
  @ApiOperation({
    summary:
      'Check (dryRun=true, the default) or apply an import of the directory file: every problem by row; all or nothing',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
  })
  @ApiZodQuery(importQuery)
  @ApiZodResponse(200, 'DirectoryImport', importReport, 'What it found, and what it changed (or would).')
  @ApiProblems('validation-error', 'payload-too-large')
  async import(
    @Caller() caller: Caller,
    @Query(new ZodBody(importQuery)) query: z.infer<typeof importQuery>,
    @UploadedFile() file: Express.Multer.File | undefined,
  ): Promise<ImportReport> {
    if (!file) throw new ValidationProblem([{ name: 'file', reason: 'send the file as multipart field "file"' }]);
    const format = formatOf(file);
    if (!format) throw new ValidationProblem([{ name: 'file', reason: 'must be a .csv or .xlsx file' }]);
    let rows;
    try {
      rows = await readDirectoryFile(file.buffer, format);
    } catch {
      throw new ValidationProblem([{ name: 'file', reason: `is not a readable ${format.toUpperCase()} file` }]);
    }
    if (rows.length === 0) throw new ValidationProblem([{ name: 'file', reason: 'has no rows under its header' }]);
    const dryRun = query.dryRun === 'true';
    const result = await this.directory.call.importDirectory({
      groupId: caller.groupId,
      rowsJson: JSON.stringify(rows),
      dryRun,
    });
    let handedOn: ImportReport['handedOn'] = [];
    if (result.applied) {
      this.staffDirectory.forget(caller.groupId);
      handedOn = await this.handOnWork.handOn(
        caller.groupId,
        callerActor(caller),
        { staffIds: result.deactivatedStaffIds, departmentIds: result.deactivatedDepartmentIds },
        'deactivated by a directory import',
      );
    }
    return {
      dryRun,
      applied: result.applied,
      // The file says `active`; intake stores its opposite.
      problems: result.problems.map((problem) => ({
        ...problem,
        field: problem.field === 'inactive' ? 'active' : problem.field,
      })),
      created: result.created,
      updated: result.updated,
      unchanged: result.unchanged,
      handedOn,
    };
  }
}
