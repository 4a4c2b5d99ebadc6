import type { FactEvent, StaffRef } from './fact-event';

/** A complaint's current facts: one row of the read model, what every figure is computed from. */
export interface ComplaintFactsRow {
  complaintId: string;
  groupId: string;
  number: string;
  propertyId: string;
  regionId: string;
  channel: string;
  category: string;
  severity: string;
  department: string;
  liability: string;
  /** Trimmed, lower-cased, single-spaced: what recurring problems compare. */
  location: string;
  handler: StaffRef | null;
  /** The staff member complained about; null when none was named. */
  involvedStaff: StaffRef | null;
  /** Rewards and penalties decided after the complaint, in the order decided. */
  consequences: { staffId: string; staffName?: string; kind: string; measure: string }[];
  /**
   * The complaint's corrective and preventive actions (纠正与预防措施) by id: their status after the
   * latest step, and whether one was ever overdue.
   */
  correctiveActions: CorrectiveActionFacts[];
  /**
   * Set on a repair work order's row (its id `work-order:<id>`): the work order's facts. Such a
   * row is filed like a complaint's (by `receivedAt`, the time it was raised) but only the work
   * order figures count it. Null (or absent, stored before) on a complaint's row.
   */
  workOrder?: WorkOrderFacts | null;
  status: string;
  /** Null until the registration (or routing) event has been seen. */
  receivedAt: Date | null;
  firstRepliedAt: Date | null;
  resolvedAt: Date | null;
  callbackAt: Date | null;
  closedAt: Date | null;
  closedAtFirstContact: boolean;
  validity: string;
  /** 1, or the highest reopen round reached. */
  round: number;
  /** Latest completed callback's answer; empty before one. */
  satisfaction: string;
  /** Deadline names of every breach, sorted (a deadline missed twice is there twice). */
  breaches: string[];
  /**
   * The deadline names among `breaches` whose cause was `platform_late`: missed because the
   * platform started the lifecycle late, not by staff. Kept apart so reports can tell them.
   */
  platformLateBreaches: string[];
  /** Ladder level of every escalation, sorted. */
  escalations: string[];
  /** Put under supervision from above (督办) at least once. */
  supervised: boolean;
  /** A supervision passed its due time without an answer at least once. */
  supervisionOverdue: boolean;
  /** The latest quality spot check's verdict (品质部抽查); empty: never checked. */
  spotCheck: string;
  /** The latest resolution's remedy kind (退换修赔); empty before one. */
  remedyKind: string;
  /** Every resolution's remedy amount together, in cents. */
  remedyCents: number;
}

export interface WorkOrderFacts {
  /** The complaint it was raised from; '' for one raised on its own. */
  complaintId: string;
  /** Arrived after its arrive-by time, or marked overdue for arrival. */
  arrivedLate: boolean;
  /** Completed after its complete-by time, or marked overdue for completion. */
  completedLate: boolean;
  /** Times sent back to rework by the requester. */
  reworks: number;
  /** Confirmed fixed by the requester. */
  confirmed: boolean;
  /** The confirmation's rating (1–5); 0 before one. */
  rating: number;
  /** A repeat repair (返修) of the same unit and trade within 90 days. */
  repeat: boolean;
}

/** A row of a work order rather than a complaint. */
export function isWorkOrderRow(row: ComplaintFactsRow): boolean {
  return Boolean(row.workOrder);
}

export interface CorrectiveActionFacts {
  id: string;
  /** open, done, verified */
  status: string;
  overdue: boolean;
}

/** The status a corrective action's step leaves it in; overdue leaves it as it was. */
const CORRECTIVE_STATUS_AFTER: Record<string, string> = {
  opened: 'open',
  done: 'done',
  verified: 'verified',
  returned: 'open',
};

export function normaliseLocation(location: string): string {
  return location.trim().toLowerCase().replace(/\s+/g, ' ');
}

function date(iso: string): Date | null {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? null : new Date(time);
}

/** The order facts are read in: when they happened, then the event id, so any arrival order gives one answer. */
function chronological(a: FactEvent, b: FactEvent): number {
  return a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Lifecycle actions that complete the callback (SPEC §5). */
const CALLBACK_ACTIONS = ['record_callback', 'answer_survey'];

/**
 * Derives the row from all the complaint's fact events. A later fact overrides an earlier
 * one (a reclassification the routing decision, a snapshot the status), first times are the
 * earliest, lists are sorted, an event id counts once: the same set of events always gives the
 * same row.
 */
export function deriveFacts(groupId: string, complaintId: string, events: readonly FactEvent[]): ComplaintFactsRow {
  const row: ComplaintFactsRow = {
    complaintId,
    groupId,
    number: '',
    propertyId: '',
    regionId: '',
    channel: '',
    category: '',
    severity: '',
    department: '',
    liability: '',
    location: '',
    handler: null,
    involvedStaff: null,
    consequences: [],
    correctiveActions: [],
    status: 'registered',
    receivedAt: null,
    firstRepliedAt: null,
    resolvedAt: null,
    callbackAt: null,
    closedAt: null,
    closedAtFirstContact: false,
    validity: '',
    remedyKind: '',
    remedyCents: 0,
    round: 1,
    satisfaction: '',
    breaches: [],
    platformLateBreaches: [],
    escalations: [],
    supervised: false,
    supervisionOverdue: false,
    spotCheck: '',
  };
  let lifecycleStatus = '';
  let routed = false;
  let mergedInto = '';
  let withdrawn = false;
  const first = (current: Date | null, at: string) => current ?? date(at);
  const take = (value: string, current: string) => value || current;

  const corrective = new Map<string, CorrectiveActionFacts>();
  const unique = [...new Map(events.map((event) => [event.id, event])).values()];
  for (const event of unique.sort(chronological)) {
    switch (event.type) {
      case 'registered':
        row.number = take(event.number, row.number);
        row.propertyId = take(event.propertyId, row.propertyId);
        row.regionId = take(event.regionId, row.regionId);
        row.channel = take(event.channel, row.channel);
        row.receivedAt = date(event.receivedAt) ?? row.receivedAt;
        row.location = normaliseLocation(event.location);
        row.closedAtFirstContact = event.closedAtFirstContact;
        row.involvedStaff = event.involvedStaff ?? row.involvedStaff;
        break;
      case 'involved_staff':
        row.involvedStaff = event.involvedStaff;
        break;
      case 'consequence':
        row.consequences.push({
          staffId: event.staff.id,
          staffName: event.staff.name,
          kind: event.kind,
          measure: event.measure,
        });
        break;
      case 'corrective_action': {
        // A step seen before its opening (a late event) still makes the action known.
        const action = corrective.get(event.actionId) ?? { id: event.actionId, status: 'open', overdue: false };
        action.status = CORRECTIVE_STATUS_AFTER[event.step] ?? action.status;
        if (event.step === 'overdue') action.overdue = true;
        corrective.set(event.actionId, action);
        break;
      }
      case 'work_order': {
        const facts = row.workOrder ?? {
          complaintId: '',
          arrivedLate: false,
          completedLate: false,
          reworks: 0,
          confirmed: false,
          rating: 0,
          repeat: false,
        };
        row.number = take(event.number, row.number);
        row.propertyId = take(event.propertyId, row.propertyId);
        row.regionId = take(event.regionId, row.regionId);
        row.receivedAt = row.receivedAt ?? date(event.raisedAt);
        facts.complaintId = take(event.complaintId, facts.complaintId);
        if (event.step === 'raised' && event.repeatOfId) facts.repeat = true;
        if ((event.step === 'arrived' && event.late) || (event.step === 'overdue' && event.stage === 'arrival')) {
          facts.arrivedLate = true;
        }
        if ((event.step === 'completed' && event.late) || (event.step === 'overdue' && event.stage === 'completion')) {
          facts.completedLate = true;
        }
        facts.reworks = Math.max(facts.reworks, event.reworks);
        if (event.step === 'confirmed') {
          facts.confirmed = true;
          facts.rating = event.rating;
        }
        row.workOrder = facts;
        break;
      }
      case 'routed':
        routed = true;
        row.number = take(event.number, row.number);
        row.propertyId = take(event.propertyId, row.propertyId);
        row.regionId = take(event.regionId, row.regionId);
        row.channel = take(event.channel, row.channel);
        row.receivedAt = row.receivedAt ?? date(event.receivedAt);
        row.category = take(event.category, row.category);
        row.severity = take(event.severity, row.severity);
        row.department = take(event.department, row.department);
        row.liability = take(event.liability, row.liability);
        row.handler = event.handler ?? row.handler;
        mergedInto = event.mergedInto;
        break;
      case 'reclassified':
        row.category = take(event.category, row.category);
        row.severity = take(event.severity, row.severity);
        row.department = take(event.department, row.department);
        row.liability = take(event.liability, row.liability);
        break;
      case 'reassigned':
        row.handler = event.handler ?? row.handler;
        row.propertyId = take(event.propertyId, row.propertyId);
        row.regionId = take(event.regionId, row.regionId);
        row.department = take(event.department, row.department);
        break;
      case 'merged':
        mergedInto = event.into;
        break;
      case 'unmerged':
        mergedInto = '';
        break;
      case 'withdrawn':
        withdrawn = true;
        break;
      case 'transitioned':
        lifecycleStatus = event.status || lifecycleStatus;
        row.severity = take(event.severity, row.severity);
        row.round = Math.max(row.round, event.round);
        if (event.action === 'acknowledge') row.firstRepliedAt = first(row.firstRepliedAt, event.at);
        if (event.action === 'resolve') {
          row.resolvedAt = first(row.resolvedAt, event.at);
          row.validity = take(event.validity, row.validity);
          row.liability = take(event.liability, row.liability);
          row.remedyKind = take(event.remedyKind ?? '', row.remedyKind);
          row.remedyCents += event.remedyCents ?? 0;
        }
        // The complainant's answer through a survey link is the callback, done by message.
        if (CALLBACK_ACTIONS.includes(event.action) && event.outcome === 'completed') {
          row.callbackAt = first(row.callbackAt, event.at);
          row.satisfaction = take(event.satisfaction, row.satisfaction);
        }
        if (event.action === 'close') row.closedAt = first(row.closedAt, event.at);
        if (event.action === 'supervise') row.supervised = true;
        if (event.action === 'supervision_overdue') row.supervisionOverdue = true;
        break;
      case 'breached':
        row.breaches.push(event.deadline);
        if (event.cause === 'platform_late') row.platformLateBreaches.push(event.deadline);
        break;
      case 'escalated':
        row.escalations.push(event.toLevel);
        break;
      case 'spot_checked':
        row.spotCheck = event.verdict;
        break;
      case 'other':
        break;
    }
  }
  row.correctiveActions = [...corrective.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  row.breaches.sort();
  row.platformLateBreaches.sort();
  row.escalations.sort();
  if (row.workOrder) {
    row.status = 'work_order';
    return row;
  }
  row.status = withdrawn
    ? 'withdrawn'
    : mergedInto
      ? 'merged'
      : row.closedAtFirstContact
        ? 'closed'
        : lifecycleStatus || (routed ? 'assigned' : 'registered');
  return row;
}
