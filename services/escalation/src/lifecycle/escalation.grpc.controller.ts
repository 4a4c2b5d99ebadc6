import { Controller } from '@nestjs/common';
import { v1 } from '@complaints/contracts';
import { GetLifecycle } from './use-cases/get-lifecycle';

@Controller()
@v1.EscalationServiceControllerMethods()
export class EscalationGrpcController implements v1.EscalationServiceController {
  constructor(private readonly getLifecycleUseCase: GetLifecycle) {}

  async getLifecycle(request: v1.GetLifecycleRequest): Promise<v1.GetLifecycleResponse> {
    const state = await this.getLifecycleUseCase.execute(request.groupId, request.complaintId);
    if (!state) return { started: false, status: '', severity: '', deadlines: [], level: '' };
    return {
      started: true,
      status: state.status,
      severity: state.severity,
      level: state.level,
      deadlines: state.deadlines.map(({ name, dueAt, met, breached }) => ({ name, dueAt, met, breached })),
    };
  }
}
