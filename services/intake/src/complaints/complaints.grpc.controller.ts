import { Controller } from '@nestjs/common';
import { v1 } from '@complaints/contracts';
import { fromRegisterRequest, toProtoComplaint } from './complaint.converter';
import { GetComplaint } from './use-cases/get-complaint';
import { RegisterComplaint } from './use-cases/register-complaint';

@Controller()
@v1.IntakeServiceControllerMethods()
export class ComplaintsGrpcController implements v1.IntakeServiceController {
  constructor(
    private readonly register: RegisterComplaint,
    private readonly get: GetComplaint,
  ) {}

  async registerComplaint(request: v1.RegisterComplaintRequest): Promise<v1.RegisterComplaintResponse> {
    return { complaint: toProtoComplaint(await this.register.execute(fromRegisterRequest(request))) };
  }

  async getComplaint(request: v1.GetComplaintRequest): Promise<v1.GetComplaintResponse> {
    return { complaint: toProtoComplaint(await this.get.execute(request.groupId, request.complaintId)) };
  }
}
