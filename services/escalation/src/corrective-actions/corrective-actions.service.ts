import { Injectable, Logger } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { ROLE_LEVELS, type RoleLevel } from '@complaints/domain';
import { DirectoryClient, DomainError, NotFoundError } from '@complaints/service-kit';
import { EscalationConfig } from '../config';
import { CorrectiveActionEvents } from './corrective-action-events';
import { CorrectiveActionRecords, type CorrectiveFilter } from './corrective-action-records';
import { StepRefused, takeStep, type CorrectiveAction, type CorrectiveStep } from './steps';
import { correctiveActionChanged, correctiveActionWorkflow, correctiveActionWorkflowId } from './workflow';

/** Opening, following and listing corrective actions: the record first, then its timer. */
@Injectable()
export class CorrectiveActions {
  private readonly logger = new Logger(CorrectiveActions.name);

  constructor(
    private readonly records: CorrectiveActionRecords,
    private readonly client: Client,
    private readonly config: EscalationConfig,
    private readonly directory: DirectoryClient,
    private readonly events: CorrectiveActionEvents,
  ) {}

  /**
   * Opens it once (however often the event that opens it arrives), starts its timer and publishes
   * its opening; stopped before that, the event that opens it is redelivered and publishes it then.
   */
  async open(
    action: Omit<CorrectiveAction, 'status' | 'overdueAt' | 'history' | 'version' | 'published'>,
  ): Promise<CorrectiveAction> {
    const stored = await this.records.open({
      ...action,
      status: 'open',
      overdueAt: null,
      history: [{ step: 'opened', at: action.createdAt, by: null, text: action.description }],
      version: 1,
      published: 0,
    });
    try {
      await this.client.workflow.start(correctiveActionWorkflow, {
        taskQueue: this.config.taskQueue,
        workflowId: correctiveActionWorkflowId(stored.id),
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [{ groupId: stored.groupId, id: stored.id, dueAt: stored.dueAt }],
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    await this.events.publish(stored);
    return stored;
  }

  async get(groupId: string, id: string): Promise<CorrectiveAction> {
    const action = await this.records.find(groupId, id);
    if (!action) throw new NotFoundError(`corrective action ${id}`);
    return action;
  }

  list(filter: CorrectiveFilter): Promise<CorrectiveAction[]> {
    return this.records.list(filter);
  }

  async step(command: {
    groupId: string;
    id: string;
    step: CorrectiveStep;
    staffId: string;
    text: string;
  }): Promise<CorrectiveAction> {
    const action = await this.get(command.groupId, command.id);
    const actor = await this.staff(command.groupId, command.staffId, action);
    let after: CorrectiveAction;
    try {
      after = takeStep(action, command.step, actor, command.text.trim(), new Date());
    } catch (error) {
      if (!(error instanceof StepRefused)) throw error;
      throw new DomainError(error.kind === 'not_allowed' ? 'permission_denied' : 'failed_precondition', error.message);
    }
    const token = await this.events.expect(after.groupId, after.id);
    if (!(await this.records.save(after))) {
      await this.events.forget(after.id, token);
      throw new DomainError('failed_precondition', 'the corrective action changed meanwhile: read it again and retry');
    }
    // NATS away: the step stands and its timer is told; the relay publishes it (its mark stays).
    await this.events
      .publish(after, token)
      .catch((error: unknown) => this.logger.warn(`corrective action ${after.id} left to the relay: ${String(error)}`));
    try {
      await this.client.workflow
        .getHandle(correctiveActionWorkflowId(after.id))
        .signal(correctiveActionChanged, { status: after.status });
    } catch (error) {
      // Its timer ended already (verified before): nothing is left to time.
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
    return after;
  }

  /** The staff member with their level, if they work at the action's property or above it. */
  private async staff(groupId: string, staffId: string, action: CorrectiveAction) {
    const { staff } = await this.directory.directory(groupId);
    const member = staff.find((candidate) => candidate.id === staffId && !candidate.inactive);
    if (!member) throw new DomainError('invalid_argument', `unknown staff member "${staffId}"`, { staffId: 'unknown' });
    const level = member.roleLevel as RoleLevel;
    if (!ROLE_LEVELS.includes(level)) throw new Error(`staff ${staffId} has unknown role level ${member.roleLevel}`);
    const inScope =
      level === 'group_hq' ||
      member.propertyIds.includes(action.propertyId) ||
      (level === 'regional_gm' && member.regionId !== '' && member.regionId === action.regionId);
    if (!inScope) throw new DomainError('permission_denied', `${member.name} does not work at this action's property`);
    return { id: member.id, name: member.name, level };
  }
}
