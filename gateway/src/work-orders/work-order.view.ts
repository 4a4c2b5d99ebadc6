import { z } from 'zod';
import type { v1 } from '@complaints/contracts';

const actor = z.object({ kind: z.string(), id: z.string(), name: z.string() });
const at = z.string().nullable();

export const workOrderView = z.object({
  id: z.string(),
  number: z.string().describe('WO-<property code>-<date>-<sequence>'),
  propertyId: z.string(),
  regionId: z.string(),
  location: z.string(),
  trade: z.string(),
  urgency: z.string(),
  description: z.string(),
  channel: z.string(),
  requester: z.string(),
  status: z.string().describe('raised, dispatched, arrived, completed, confirmed'),
  complaint: z
    .object({ id: z.string(), number: z.string(), waits: z.boolean() })
    .nullable()
    .describe('the complaint it was raised from; waits: its deadlines pause until this work order is completed'),
  raisedAt: z.string(),
  raisedBy: actor.nullable(),
  arriveBy: z.string(),
  completeBy: z.string(),
  overdue: z
    .object({ arrival: z.boolean(), completion: z.boolean() })
    .describe('a time missed: marked by its timer, or seen now while the stage is still not done'),
  assignee: z.object({ id: z.string(), name: z.string() }).nullable(),
  dispatchedAt: at,
  dispatchedBy: actor.nullable(),
  dispatchedByRule: z.boolean(),
  arrivedAt: at,
  completedAt: at,
  workDone: z.string(),
  materials: z.array(z.object({ name: z.string(), quantity: z.number(), unit: z.string() })),
  photos: z.array(z.string()),
  confirmedAt: at,
  rating: z.number().int().nullable().describe('the requester’s rating 1–5, once they answered'),
  feedback: z.string(),
  reworks: z.number().int().describe('how often the requester said it was not fixed'),
  repeatRepair: z
    .object({ id: z.string(), number: z.string() })
    .nullable()
    .describe('a repeat repair (返修): the earlier work order of the same unit and trade within 90 days'),
});
export type WorkOrderView = z.infer<typeof workOrderView>;

const orNull = (value: string) => value || null;

export function toWorkOrderView(order: v1.WorkOrder, now = Date.now()): WorkOrderView {
  const late = (due: string, done: string) => !done && Date.parse(due) < now;
  const stillOpen = order.status !== 'completed' && order.status !== 'confirmed';
  const person = (who: v1.Actor | undefined) => (who ? { kind: who.kind, id: who.id, name: who.name } : null);
  return {
    id: order.id,
    number: order.number,
    propertyId: order.propertyId,
    regionId: order.regionId,
    location: order.location,
    trade: order.trade,
    urgency: order.urgency,
    description: order.description,
    channel: order.channel,
    requester: order.requester,
    status: order.status,
    complaint: order.complaintId
      ? { id: order.complaintId, number: order.complaintNumber, waits: order.complaintWaits }
      : null,
    raisedAt: order.raisedAt,
    raisedBy: person(order.raisedBy),
    arriveBy: order.arriveBy,
    completeBy: order.completeBy,
    overdue: {
      arrival: order.arrivalOverdue || (stillOpen && late(order.arriveBy, order.arrivedAt)),
      completion: order.completionOverdue || (stillOpen && late(order.completeBy, order.completedAt)),
    },
    assignee: order.assigneeId ? { id: order.assigneeId, name: order.assigneeName } : null,
    dispatchedAt: orNull(order.dispatchedAt),
    dispatchedBy: person(order.dispatchedBy),
    dispatchedByRule: order.dispatchedByRule,
    arrivedAt: orNull(order.arrivedAt),
    completedAt: orNull(order.completedAt),
    workDone: order.workDone,
    materials: order.materials,
    photos: order.photos,
    confirmedAt: orNull(order.confirmedAt),
    rating: order.rating || null,
    feedback: order.feedback,
    reworks: order.reworks,
    repeatRepair: order.repeatOfId ? { id: order.repeatOfId, number: order.repeatOfNumber } : null,
  };
}
