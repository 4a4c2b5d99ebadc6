import { Controller } from '@nestjs/common';
import { v1 } from '@complaints/contracts';
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

  async listDirectory(request: v1.ListDirectoryRequest): Promise<v1.ListDirectoryResponse> {
    return this.directory.list(request.groupId);
  }
}
