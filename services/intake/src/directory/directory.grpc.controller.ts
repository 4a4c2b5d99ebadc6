import { Controller } from '@nestjs/common';
import { v1 } from '@complaints/contracts';
import { DomainError, parseJsonField } from '@complaints/service-kit';
import type { ImportRow } from './use-cases/import-directory';
import { ManageDirectory } from './use-cases/manage-directory';

// Proto defaults ('' for unset strings) become undefined so the entry defaults apply.
const unsetEmpty = <T extends object>(message: T): Partial<T> =>
  Object.fromEntries(Object.entries(message).filter(([, value]) => value !== '')) as Partial<T>;

@Controller()
@v1.DirectoryServiceControllerMethods()
export class DirectoryGrpcController implements v1.DirectoryServiceController {
  constructor(private readonly directory: ManageDirectory) {}

  async upsertRegion(request: v1.UpsertRegionRequest): Promise<v1.UpsertRegionResponse> {
    return { region: await this.directory.upsertRegion(unsetEmpty(request.region ?? {})) };
  }

  async upsertProperty(request: v1.UpsertPropertyRequest): Promise<v1.UpsertPropertyResponse> {
    return { property: await this.directory.upsertProperty(unsetEmpty(request.property ?? {})) };
  }

  async upsertDepartment(request: v1.UpsertDepartmentRequest): Promise<v1.UpsertDepartmentResponse> {
    return { department: await this.directory.upsertDepartment(unsetEmpty(request.department ?? {})) };
  }

  async upsertStaff(request: v1.UpsertStaffRequest): Promise<v1.UpsertStaffResponse> {
    return { staff: await this.directory.upsertStaff(unsetEmpty(request.staff ?? {})) };
  }

  async setActive(request: v1.SetActiveRequest): Promise<v1.SetActiveResponse> {
    const entry = await this.directory.setActive(request.groupId, request.kind, request.id, request.active);
    return { entryJson: JSON.stringify(entry) };
  }

  async importDirectory(request: v1.ImportDirectoryRequest): Promise<v1.ImportDirectoryResponse> {
    const rows = parseJsonField(request.rowsJson, 'rows');
    if (!Array.isArray(rows))
      throw new DomainError('invalid_argument', 'invalid rows: not a list', { rows: 'must be a list' });
    const result = await this.directory.importRows(request.groupId, rows as ImportRow[], request.dryRun);
    return {
      problems: result.problems,
      created: result.created,
      updated: result.updated,
      unchanged: result.unchanged,
      applied: result.applied,
      deactivatedStaffIds: result.deactivatedStaffIds,
      deactivatedDepartmentIds: result.deactivatedDepartmentIds,
    };
  }

  async listDirectory(request: v1.ListDirectoryRequest): Promise<v1.ListDirectoryResponse> {
    return this.directory.list(request.groupId);
  }
}
