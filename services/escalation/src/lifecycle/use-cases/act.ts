import { Injectable } from '@nestjs/common';
import { Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  LIFECYCLE_ACTIONS,
  resolveProblems,
  ROLE_LEVELS,
  type LifecycleActionName,
  type RoleLevel,
} from '@complaints/domain';
import { DirectoryClient, DomainError, invalidArgument, NotFoundError } from '@complaints/service-kit';
import { LifecycleRecords } from '../lifecycle-records';
import { actionUpdates, stateQuery } from '../messages';
import { lifecycleWorkflowId, type ActingStaff, type ActionRequest, type LifecycleState } from '../types';

function isAction(name: string): name is LifecycleActionName {
  return Object.hasOwn(LIFECYCLE_ACTIONS, name);
}

/**
 * Who answers a survey: the complainant, through the link the gateway checked. Never published
 * (the workflow names no actor for it), so it needs no directory entry.
 */
const COMPLAINANT: ActingStaff = { id: 'complainant', name: 'complainant', level: 'frontline' };

/** Staff actions on a complaint's lifecycle, done by a named staff member of its property. */
@Injectable()
export class Act {
  constructor(
    private readonly client: Client,
    private readonly directory: DirectoryClient,
    private readonly records: LifecycleRecords,
  ) {}

  async execute(command: {
    groupId: string;
    complaintId: string;
    staffId: string;
    action: string;
    params: unknown;
    /** The API key the staff member acts through, if any. */
    viaKeyId?: string;
    viaKeyName?: string;
  }): Promise<LifecycleState> {
    const { action } = command;
    if (!isAction(action)) {
      throw new DomainError('invalid_argument', `unknown action "${action}"`, { action: 'is not a lifecycle action' });
    }
    const parsed = LIFECYCLE_ACTIONS[action].safeParse(command.params);
    if (!parsed.success) throw invalidArgument(action, parsed.error.issues);
    const problems = action === 'resolve' ? resolveProblems(LIFECYCLE_ACTIONS.resolve.parse(parsed.data)) : [];
    if (problems.length > 0) throw invalidArgument(action, problems);
    const handle = this.client.workflow.getHandle(lifecycleWorkflowId(command.complaintId));
    // The complainant's answer comes without staff, and staff cannot give it.
    if ((action === 'answer_survey') !== (command.staffId === '')) {
      throw new DomainError(
        'invalid_argument',
        action === 'answer_survey' ? 'only the complainant answers a survey' : 'staffId is required',
        { staffId: action === 'answer_survey' ? 'must be empty' : 'is required' },
      );
    }
    const state = await this.current(handle, command.groupId, command.complaintId);
    const staff =
      action === 'answer_survey' ? COMPLAINANT : await this.actingStaff(command.groupId, command.staffId, state);
    const actor: ActingStaff = command.viaKeyId
      ? { ...staff, via: { keyId: command.viaKeyId, name: command.viaKeyName ?? '' } }
      : staff;
    // The union pairs each action with its parameters; the schema lookup above guarantees the pair.
    const request = { action, params: parsed.data, actor } as ActionRequest;
    if (request.action === 'resolve' && request.params.correctiveAction) {
      request.owner = await this.owner(command.groupId, request.params.correctiveAction, state);
    }
    const after = await this.update(
      () => handle.executeUpdate(actionUpdates[action], { args: [request] }),
      command.groupId,
      command.complaintId,
    );
    // Recorded now, not only by the workflow's next activity: whoever acted reads what they did.
    await this.records.write(after);
    return after;
  }

  /**
   * Where the lifecycle stands, from its record (a key read); the workflow is asked only for a
   * lifecycle started before records were kept. Never a query to a workflow that has ended: a
   * worker must replay it to answer, and under load such a query waited past the gateway's
   * deadline (504) where the record answers at once.
   */
  private async current(
    handle: ReturnType<Client['workflow']['getHandle']>,
    groupId: string,
    complaintId: string,
  ): Promise<LifecycleState> {
    const recorded = await this.records.read(groupId, complaintId);
    const state = recorded ?? (await this.queried(handle, groupId));
    // Its workflow has ended: nothing is left to act on.
    if (state.status === 'closed' || state.status === 'withdrawn') {
      throw new DomainError('failed_precondition', `the complaint is ${state.status}`);
    }
    return state;
  }

  private async queried(handle: ReturnType<Client['workflow']['getHandle']>, groupId: string): Promise<LifecycleState> {
    try {
      const state = await handle.query(stateQuery);
      if (state.groupId === groupId) return state;
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
    throw new NotFoundError('complaint lifecycle');
  }

  /** The staff member with the level the directory gives them, if they work at the complaint's property. */
  private async actingStaff(groupId: string, staffId: string, state: LifecycleState): Promise<ActingStaff> {
    const { staff } = await this.directory.directory(groupId);
    const member = staff.find((candidate) => candidate.id === staffId);
    if (!member) throw new DomainError('invalid_argument', `unknown staff member "${staffId}"`, { staffId: 'unknown' });
    const level = member.roleLevel as RoleLevel;
    if (!ROLE_LEVELS.includes(level)) throw new Error(`staff ${staffId} has unknown role level ${member.roleLevel}`);
    const inScope =
      level === 'group_hq' ||
      member.propertyIds.includes(state.propertyId) ||
      (level === 'regional_gm' && member.regionId !== '' && member.regionId === state.regionId);
    if (!inScope) {
      throw new DomainError('permission_denied', `${member.name} does not work at this complaint's property`);
    }
    return { id: member.id, name: member.name, level };
  }

  /** A corrective action's owner: a staff member still with the group, at the complaint's property or above it. */
  private async owner(
    groupId: string,
    action: { ownerId: string; dueAt: string },
    state: LifecycleState,
  ): Promise<{ id: string; name: string }> {
    // The workflow's own clock decides deadlines; this only refuses a due date already gone.
    if (Date.parse(action.dueAt) <= Date.now()) {
      throw invalidArgument('resolve', [{ path: ['correctiveAction', 'dueAt'], message: 'must be in the future' }]);
    }
    const { staff } = await this.directory.directory(groupId);
    const member = staff.find((candidate) => candidate.id === action.ownerId && !candidate.inactive);
    const level = member?.roleLevel as RoleLevel | undefined;
    const inScope =
      member &&
      (level === 'group_hq' ||
        member.propertyIds.includes(state.propertyId) ||
        (level === 'regional_gm' && member.regionId === state.regionId));
    if (!member || !inScope) {
      throw invalidArgument('resolve', [
        { path: ['correctiveAction', 'ownerId'], message: `is not a staff member at this complaint's property` },
      ]);
    }
    return { id: member.id, name: member.name };
  }

  /** The workflow's validators refuse with a type: an illegal transition (409) or a role too low (403). */
  private async update(
    run: () => Promise<LifecycleState>,
    groupId: string,
    complaintId: string,
  ): Promise<LifecycleState> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) {
        // The workflow ended between the read and the update (closed, withdrawn or merged meanwhile).
        const recorded = await this.records.read(groupId, complaintId);
        if (recorded) throw new DomainError('failed_precondition', `the complaint is ${recorded.status}`);
        throw new NotFoundError('complaint lifecycle');
      }
      if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
        const code = error.cause.type === 'role_too_low' ? 'permission_denied' : 'failed_precondition';
        throw new DomainError(code, error.cause.message);
      }
      throw error;
    }
  }
}
