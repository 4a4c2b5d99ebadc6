import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { v1 } from '@complaints/contracts';
import {
  trade as tradeSchema,
  urgency as urgencySchema,
  WORK_ORDER_CHANNELS,
  type WorkOrderStatus,
} from '@complaints/domain';
import { DomainError, invalidArgument, NotFoundError } from '@complaints/service-kit';
import { ComplaintsRepository, FINAL_STATUSES } from '../../complaints/complaints.repository';
import { localDay } from '../../complaints/numbering/complaint-number';
import { ManageDirectory } from '../../directory/use-cases/manage-directory';
import type { ActorRecord } from '../../timeline/timeline.schema';
import type { MaterialRecord, WorkOrderRecord } from '../work-order.schema';
import {
  chooseAssignee,
  formatWorkOrderNumber,
  repeatOf,
  stepRefusal,
  unitKey,
  type Candidate,
  type WorkOrderStep,
} from '../work-order-rules';
import { WorkOrderEvents, type WorkOrderStepFacts } from '../work-order-events';
import { WorkOrdersRepository, type WorkOrderCursor, type WorkOrderFilter } from '../work-orders.repository';

export interface RaiseInput {
  groupId: string;
  id: string;
  propertyId: string;
  location: string;
  trade: string;
  urgency: string;
  description: string;
  channel: string;
  complaintId: string;
  requester: string;
  complaintWaits: boolean;
  actor: ActorRecord;
  raisedAt: Date;
  arriveBy: Date;
  completeBy: Date;
}

const text = (max: number) => z.string().trim().max(max, `at most ${max} characters`);
const instant = z.date().refine((date) => !Number.isNaN(date.getTime()), 'must be an RFC 3339 date-time');

const raising = z.object({
  id: z.string().min(1, 'is required').max(64),
  location: text(200),
  trade: tradeSchema,
  urgency: urgencySchema,
  description: text(4000).min(1, 'is required'),
  channel: z.enum(WORK_ORDER_CHANNELS),
  requester: text(100),
  raisedAt: instant,
  arriveBy: instant,
  completeBy: instant,
});

const completion = z.object({
  workDone: text(4000).min(1, 'is required'),
  materials: z
    .array(
      z.object({
        name: text(200).min(1, 'is required'),
        quantity: z.number().positive('must be more than 0').max(1_000_000),
        unit: text(20),
      }),
    )
    .max(50, 'at most 50 materials'),
  photos: z.array(text(1000).min(1, 'is required')).max(20, 'at most 20 photos'),
});

const confirmation = z.object({
  rating: z.number().int('must be 1 to 5').min(1, 'must be 1 to 5').max(5, 'must be 1 to 5'),
  feedback: text(2000),
});

/** A clock a little ahead of ours still records an arrival "just now". */
const CLOCK_SKEW_MS = 5 * 60_000;
const MAX_PAGE = 200;

/**
 * Repair work orders (报修): raise, dispatch, arrival, completion, the requester's confirmation,
 * and the overdue marks escalation's timers ask for. A work order raised from a complaint says so
 * on the complaint's timeline (raised, repeat repair, completed, confirmed, overdue).
 */
@Injectable()
export class WorkOrders {
  constructor(
    private readonly workOrders: WorkOrdersRepository,
    private readonly complaints: ComplaintsRepository,
    private readonly directory: ManageDirectory,
    private readonly events: WorkOrderEvents,
  ) {}

  async raise(input: RaiseInput): Promise<WorkOrderRecord> {
    const checked = raising.safeParse(input);
    if (!checked.success) throw invalidArgument('work order', checked.error.issues);
    const facts = checked.data;
    const stored = await this.workOrders.findById(input.groupId, input.id);
    if (stored) return stored;

    let propertyId = input.propertyId;
    let location = facts.location;
    let complaintNumber = '';
    if (input.complaintId) {
      const complaint = await this.complaints.findById(input.groupId, input.complaintId);
      if (!complaint) throw new NotFoundError(`complaint ${input.complaintId}`);
      if (FINAL_STATUSES.includes(complaint.status)) {
        throw new DomainError(
          'failed_precondition',
          `complaint ${complaint.number} is ${complaint.status}: no work order is raised from it`,
        );
      }
      if (propertyId && propertyId !== complaint.propertyId) {
        throw new DomainError('invalid_argument', 'invalid work order: not the complaint’s property', {
          propertyId: `must be the complaint’s property ${complaint.propertyId} (or left out)`,
        });
      }
      propertyId = complaint.propertyId;
      location ||= complaint.location.slice(0, 200);
      complaintNumber = complaint.number;
    } else if (input.complaintWaits) {
      throw new DomainError('invalid_argument', 'invalid work order: only a complaint can wait on it', {
        complaintWaits: 'only with complaintId',
      });
    }
    if (!propertyId) {
      throw new DomainError('invalid_argument', 'invalid work order: propertyId is required', {
        propertyId: 'is required (or a complaintId)',
      });
    }
    const property = await this.directory.property(input.groupId, propertyId);
    if (!property || property.inactive) {
      throw new DomainError(
        'invalid_argument',
        `invalid work order: property ${propertyId} is not an active property`,
        {
          propertyId: 'is not an active property of this group',
        },
      );
    }
    if (!location) {
      throw new DomainError('invalid_argument', 'invalid work order: location is required', {
        location: 'is required: the unit or place to repair',
      });
    }

    const day = localDay(facts.raisedAt, property.timeZone);
    const sequence = await this.complaints.nextSequence(`${input.groupId}:WO:${property.code}:${day}`);
    const number = formatWorkOrderNumber(property.code, day, sequence);
    const earlier = await this.workOrders.recordRepair(unitKey(input.groupId, propertyId, location, facts.trade), {
      id: input.id,
      number,
      raisedAt: facts.raisedAt,
    });
    const repeat = repeatOf(earlier, facts.raisedAt);
    const record: WorkOrderRecord = {
      _id: input.id,
      groupId: input.groupId,
      number,
      propertyId,
      regionId: property.regionId,
      location,
      trade: facts.trade,
      urgency: facts.urgency,
      description: facts.description,
      channel: input.complaintId ? 'complaint' : facts.channel,
      complaintId: input.complaintId,
      complaintNumber,
      requester: facts.requester,
      status: 'raised',
      raisedAt: facts.raisedAt,
      raisedBy: input.actor,
      arriveBy: facts.arriveBy,
      completeBy: facts.completeBy,
      arrivalOverdue: false,
      completionOverdue: false,
      assigneeId: '',
      assigneeName: '',
      dispatchedAt: null,
      dispatchedBy: null,
      dispatchedByRule: false,
      arrivedAt: null,
      completedAt: null,
      workDone: '',
      materials: [],
      photos: [],
      confirmedAt: null,
      rating: 0,
      feedback: '',
      reworks: 0,
      repeatOfId: repeat?.id ?? '',
      repeatOfNumber: repeat?.number ?? '',
      complaintWaits: input.complaintWaits,
      eventIds: [],
    };
    const raised = await this.events.pending(null, record, { step: 'raised', actor: input.actor, at: facts.raisedAt });
    record.eventIds = raised.eventIds;
    if ((await this.workOrders.insert(record)) === 'duplicate') {
      // A retried raise: its event is the first one's (the same id), published by it or the relay.
      const earlierRaise = await this.workOrders.findById(input.groupId, input.id);
      if (earlierRaise) return earlierRaise;
      throw new DomainError('conflict', `work order id ${input.id} is taken`);
    }
    await this.events.publish(raised.event);
    if (input.complaintId) {
      await this.workOrders.link(input.groupId, input.complaintId, input.id);
      await this.onComplaint(record, 'raised', input.actor, {
        trade: record.trade,
        urgency: record.urgency,
        waits: record.complaintWaits,
      });
      if (repeat) {
        await this.onComplaint(record, 'repeat_repair', input.actor, {
          repeatOf: repeat.number,
          repeatOfId: repeat.id,
        });
      }
    }
    // An emergency does not wait in the queue: it goes to whoever the rule finds at once.
    if (record.urgency === 'emergency') {
      const dispatched = await this.dispatchByRule(record, input.actor, false);
      if (dispatched) return dispatched;
    }
    return record;
  }

  async get(groupId: string, id: string): Promise<WorkOrderRecord> {
    const found = await this.workOrders.findById(groupId, id);
    if (!found) throw new NotFoundError(`work order ${id}`);
    return found;
  }

  async list(groupId: string, filter: WorkOrderFilter, page: { cursor?: string; limit: number }) {
    const limit = Math.min(Math.max(page.limit || 50, 1), MAX_PAGE);
    const records = await this.workOrders.list(groupId, filter, limit + 1, cursorOf(page.cursor));
    const items = records.slice(0, limit);
    const last = items.at(-1);
    return {
      items,
      nextCursor: records.length > limit && last ? `${last.raisedAt.toISOString()}|${last._id}` : '',
    };
  }

  ofComplaint(groupId: string, complaintId: string): Promise<WorkOrderRecord[]> {
    return this.workOrders.ofComplaint(groupId, complaintId);
  }

  /** To the staff member named, or by the dispatch rule when none is. */
  async dispatch(groupId: string, id: string, staffId: string, actor: ActorRecord): Promise<WorkOrderRecord> {
    const current = await this.get(groupId, id);
    refuse(current.status, 'dispatch');
    if (!staffId) {
      const dispatched = await this.dispatchByRule(current, actor, true);
      if (!dispatched) {
        throw new DomainError(
          'failed_precondition',
          `nobody on duty at ${current.propertyId} does ${current.trade} work or is in its engineering department: assign ${current.number} by hand (staffId)`,
        );
      }
      return dispatched;
    }
    const member = (await this.candidates(groupId)).find((candidate) => candidate.id === staffId);
    if (!member || member.inactive || !member.propertyIds.includes(current.propertyId)) {
      throw new DomainError('invalid_argument', `invalid dispatch: ${staffId} is not active staff of the property`, {
        staffId: `is not an active staff member of ${current.propertyId}`,
      });
    }
    return this.assign(current, member, actor, false);
  }

  async arrive(groupId: string, id: string, actor: ActorRecord, at: Date | undefined): Promise<WorkOrderRecord> {
    const now = new Date();
    const arrivedAt = at ?? now;
    if (Number.isNaN(arrivedAt.getTime()) || arrivedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) {
      throw new DomainError('invalid_argument', 'invalid arrival: arrivedAt is not a past date-time', {
        arrivedAt: 'must be an RFC 3339 date-time, not in the future',
      });
    }
    const { after } = await this.step(groupId, id, 'arrive', { step: 'arrived', actor, at: arrivedAt }, (record) => {
      if (arrivedAt.getTime() < record.raisedAt.getTime()) {
        throw new DomainError('invalid_argument', 'invalid arrival: before the work order was raised', {
          arrivedAt: 'must not be before the work order was raised',
        });
      }
      return {
        status: 'arrived',
        arrivedAt,
        // Late, even if the timer has not told yet: the record never waits on it to say so.
        ...(arrivedAt.getTime() > record.arriveBy.getTime() ? { arrivalOverdue: true } : {}),
      };
    });
    return after;
  }

  async complete(
    groupId: string,
    id: string,
    actor: ActorRecord,
    work: { workDone: string; materials: MaterialRecord[]; photos: string[] },
  ): Promise<WorkOrderRecord> {
    const checked = completion.safeParse(work);
    if (!checked.success) throw invalidArgument('completion', checked.error.issues);
    const now = new Date();
    const done = { step: 'completed', actor, at: now } as const;
    const { after } = await this.step(groupId, id, 'complete', done, (record) => ({
      status: 'completed',
      completedAt: now,
      workDone: checked.data.workDone,
      materials: checked.data.materials,
      photos: checked.data.photos,
      ...(now.getTime() > record.completeBy.getTime() ? { completionOverdue: true } : {}),
    }));
    await this.workOrders.addLoad(groupId, after.assigneeId, -1);
    await this.onComplaint(after, 'completed', actor, { workDone: after.workDone });
    return after;
  }

  /** The requester's word: fixed closes it with their rating; not fixed sends it back to its assignee. */
  async confirm(
    groupId: string,
    id: string,
    actor: ActorRecord,
    answer: { fixed: boolean; rating: number; feedback: string },
  ): Promise<WorkOrderRecord> {
    const checked = confirmation.safeParse(answer);
    if (!checked.success) throw invalidArgument('confirmation', checked.error.issues);
    const answered = { step: answer.fixed ? 'confirmed' : 'rework', actor, at: new Date() } as const;
    const { after } = await this.step(groupId, id, 'confirm', answered, (record) =>
      answer.fixed
        ? { status: 'confirmed', confirmedAt: new Date(), rating: checked.data.rating, feedback: checked.data.feedback }
        : {
            status: 'dispatched',
            rating: checked.data.rating,
            feedback: checked.data.feedback,
            reworks: record.reworks + 1,
            arrivedAt: null,
            completedAt: null,
          },
    );
    if (!answer.fixed) await this.workOrders.addLoad(groupId, after.assigneeId, 1);
    await this.onComplaint(after, answer.fixed ? 'confirmed' : 'rework', actor, {
      rating: after.rating,
      ...(after.feedback ? { feedback: after.feedback } : {}),
    });
    return after;
  }

  /** Escalation's timer at arriveBy or completeBy: overdue unless that stage was done by then. */
  async markOverdue(groupId: string, id: string, stage: string): Promise<WorkOrderRecord> {
    if (stage !== 'arrival' && stage !== 'completion') {
      throw new DomainError('invalid_argument', `unknown stage ${stage}`, { stage: 'arrival or completion' });
    }
    let announced: v1.EventEnvelope | undefined;
    const result = await this.workOrders.update(
      groupId,
      id,
      (record) => {
        if (stage === 'arrival') {
          const late = record.arrivedAt === null || record.arrivedAt.getTime() > record.arriveBy.getTime();
          return late && !record.arrivalOverdue ? { arrivalOverdue: true } : undefined;
        }
        const late = record.completedAt === null || record.completedAt.getTime() > record.completeBy.getTime();
        return late && !record.completionOverdue ? { completionOverdue: true } : undefined;
      },
      async (before, after) => {
        const pending = await this.events.pending(before, after, {
          step: 'overdue',
          actor: null,
          stage,
          at: new Date(),
        });
        announced = pending.event;
        return { eventIds: pending.eventIds };
      },
    );
    if (!result) throw new NotFoundError(`work order ${id}`);
    if (announced) await this.events.publish(announced);
    const { before, after } = result;
    const newly =
      stage === 'arrival'
        ? after.arrivalOverdue && !before.arrivalOverdue
        : after.completionOverdue && !before.completionOverdue;
    if (newly) await this.onComplaint(after, 'overdue', SYSTEM, { stage });
    return after;
  }

  private async dispatchByRule(
    record: WorkOrderRecord,
    actor: ActorRecord,
    strict: boolean,
  ): Promise<WorkOrderRecord | undefined> {
    const candidates = await this.candidates(record.groupId);
    const loads = new Map<string, number>();
    for (const candidate of candidates.filter((member) => member.propertyIds.includes(record.propertyId))) {
      loads.set(candidate.id, await this.workOrders.loadOf(record.groupId, candidate.id));
    }
    const chosen = chooseAssignee(
      candidates,
      { propertyId: record.propertyId, trade: record.trade },
      (staffId) => loads.get(staffId) ?? 0,
    );
    if (!chosen) return undefined;
    try {
      return await this.assign(record, chosen, actor, true);
    } catch (error) {
      // Raised and dispatched at once: a concurrent step wins, the raise still stands.
      if (strict) throw error;
      return undefined;
    }
  }

  private async assign(
    record: WorkOrderRecord,
    member: Candidate,
    actor: ActorRecord,
    byRule: boolean,
  ): Promise<WorkOrderRecord> {
    const dispatched = { step: 'dispatched', actor, at: new Date() } as const;
    const { before, after } = await this.step(record.groupId, record._id, 'dispatch', dispatched, () => ({
      status: 'dispatched',
      assigneeId: member.id,
      assigneeName: member.name,
      dispatchedAt: new Date(),
      dispatchedBy: actor,
      dispatchedByRule: byRule,
    }));
    if (before.assigneeId !== member.id) {
      await this.workOrders.addLoad(record.groupId, before.assigneeId, -1);
      await this.workOrders.addLoad(record.groupId, member.id, 1);
    }
    return after;
  }

  /** Takes the step if the status allows it, in one write with the event announcing it, then publishes the event. */
  private async step(
    groupId: string,
    id: string,
    step: WorkOrderStep,
    facts: WorkOrderStepFacts,
    change: (record: WorkOrderRecord) => Partial<WorkOrderRecord>,
  ) {
    let announced: v1.EventEnvelope | undefined;
    const result = await this.workOrders.update(
      groupId,
      id,
      (record) => {
        refuse(record.status, step);
        return change(record);
      },
      async (before, after) => {
        const pending = await this.events.pending(before, after, facts);
        announced = pending.event;
        return { eventIds: pending.eventIds };
      },
    );
    if (!result) throw new NotFoundError(`work order ${id}`);
    if (announced) await this.events.publish(announced);
    return result;
  }

  private async candidates(groupId: string): Promise<Candidate[]> {
    const { staff, departments } = await this.directory.list(groupId);
    const kindOf = new Map(departments.map((department) => [department.id, department.kind]));
    return staff.map((member) => ({
      id: member.id,
      name: member.name,
      propertyIds: member.propertyIds,
      trades: member.trades ?? [],
      onDuty: member.onDuty,
      inactive: member.inactive ?? false,
      departmentKind: kindOf.get(member.departmentId) ?? '',
    }));
  }

  /** A line on the linked complaint's timeline; none for a work order raised on its own. */
  private async onComplaint(
    record: WorkOrderRecord,
    what: 'raised' | 'repeat_repair' | 'completed' | 'confirmed' | 'rework' | 'overdue',
    actor: ActorRecord,
    details: Record<string, unknown>,
  ): Promise<void> {
    if (!record.complaintId) return;
    const type = what === 'repeat_repair' ? 'repeat_repair' : `work_order_${what}`;
    // One entry per step of this work order (and per rework round): a retry adds nothing.
    const round = what === 'overdue' ? String(details.stage) : String(record.reworks);
    await this.complaints.appendTimeline(record.groupId, record.complaintId, {
      sourceId: `work-order:${record._id}:${what}:${round}`,
      at: new Date(),
      type,
      actor,
      details: { workOrderId: record._id, number: record.number, ...details },
    });
  }
}

const SYSTEM: ActorRecord = { kind: 'system', id: 'work-order-deadlines', name: 'work-order-deadlines' };

function refuse(status: WorkOrderStatus, step: WorkOrderStep): void {
  const refusal = stepRefusal(status, step);
  if (refusal) throw new DomainError('failed_precondition', refusal);
}

function cursorOf(cursor: string | undefined): WorkOrderCursor | undefined {
  if (!cursor) return undefined;
  const [at, id] = cursor.split('|');
  const date = new Date(at ?? '');
  if (!id || Number.isNaN(date.getTime())) {
    throw new DomainError('invalid_argument', 'invalid cursor', { cursor: 'as given by the previous page' });
  }
  return { at: date, id };
}
