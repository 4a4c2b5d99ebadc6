import { OPEN_WORK_ORDER_STATUSES, REPEAT_REPAIR_DAYS, type Trade, type WorkOrderStatus } from '@complaints/domain';

// The rules of a work order that need no store: its number, who it goes to, whether it repeats
// an earlier repair, and which step may follow which. Pure, so each is tested on its own.

/**
 * Work order numbers: `WO-` + property code + local date + sequence (WO-SHM01-20261206-0003).
 * The prefix keeps them apart from complaint numbers (SHM01-20261206-0003) on the phone.
 */
export function formatWorkOrderNumber(propertyCode: string, day: string, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1)
    throw new RangeError(`sequence must be a positive integer, got ${sequence}`);
  return `WO-${propertyCode}-${day}-${String(sequence).padStart(4, '0')}`;
}

export interface Candidate {
  id: string;
  name: string;
  propertyIds: string[];
  trades: string[];
  onDuty: boolean;
  inactive: boolean;
  /** The kind of their department (engineering …); '' when none. */
  departmentKind: string;
}

/**
 * Who a work order goes to (派工: 技能匹配, 工作负载): active staff of the property on duty
 * who do the trade; when nobody lists it, the property's engineering department on duty. Among
 * them the one with the fewest open work orders, then by id so the choice is stable. Undefined
 * when nobody fits: the work order waits to be assigned by hand.
 */
export function chooseAssignee(
  candidates: readonly Candidate[],
  order: { propertyId: string; trade: Trade },
  openLoad: (staffId: string) => number,
): Candidate | undefined {
  const available = candidates.filter(
    (member) => !member.inactive && member.onDuty && member.propertyIds.includes(order.propertyId),
  );
  const skilled = available.filter((member) => member.trades.includes(order.trade));
  const pool = skilled.length > 0 ? skilled : available.filter((member) => member.departmentKind === 'engineering');
  return [...pool].sort((a, b) => openLoad(a.id) - openLoad(b.id) || a.id.localeCompare(b.id))[0];
}

/** The same unit at the same property: case, spaces and full-width forms do not make another unit. */
export function unitKey(groupId: string, propertyId: string, location: string, trade: Trade): string {
  const unit = location.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
  return `${groupId}:${propertyId}:${unit}:${trade}`;
}

export interface EarlierRepair {
  id: string;
  number: string;
  raisedAt: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The latest earlier repair of the unit and trade within REPEAT_REPAIR_DAYS of `at` (返修), if any. */
export function repeatOf(earlier: readonly EarlierRepair[], at: Date): EarlierRepair | undefined {
  const since = at.getTime() - REPEAT_REPAIR_DAYS * DAY_MS;
  return [...earlier]
    .filter((repair) => repair.raisedAt.getTime() >= since && repair.raisedAt.getTime() <= at.getTime())
    .sort((a, b) => b.raisedAt.getTime() - a.raisedAt.getTime())[0];
}

export type WorkOrderStep = 'dispatch' | 'arrive' | 'complete' | 'confirm';

const STEP_FROM: Record<WorkOrderStep, readonly WorkOrderStatus[]> = {
  // Dispatching again while nobody has arrived hands it to someone else.
  dispatch: ['raised', 'dispatched'],
  arrive: ['dispatched'],
  complete: ['arrived'],
  confirm: ['completed'],
};

const DONE: Record<WorkOrderStep, string> = {
  dispatch: 'dispatched',
  arrive: 'arrived at',
  complete: 'completed',
  confirm: 'confirmed',
};

/** Why the step may not be taken now; undefined when it may. */
export function stepRefusal(status: WorkOrderStatus, step: WorkOrderStep): string | undefined {
  if (STEP_FROM[step].includes(status)) return undefined;
  return `a work order that is ${status} cannot be ${DONE[step]}; it must be ${STEP_FROM[step].join(' or ')}`;
}

export function isOpen(status: WorkOrderStatus): boolean {
  return OPEN_WORK_ORDER_STATUSES.includes(status);
}
