import { z } from 'zod';
import { TRADES, URGENCIES, WORK_ORDER_STATUSES } from '@complaints/domain';

const text = (max: number) => z.string().max(max, `at most ${max} characters`);

/** `POST /v1/work-orders` and `POST /v1/complaints/{id}/work-orders` (报修). */
export const raiseWorkOrderBody = z.strictObject({
  propertyId: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .optional()
    .describe('required on its own; from a complaint, its property (may be left out)'),
  location: text(200)
    .trim()
    .default('')
    .describe('the unit or place to repair (3-201, B2 lift 2 …); from a complaint, its location by default'),
  trade: z.enum(TRADES),
  urgency: z.enum(URGENCIES),
  description: text(4000).trim().min(1),
  channel: z
    .enum(['phone', 'desk', 'online'])
    .default('phone')
    .describe('how the repair was reported; a work order raised from a complaint says `complaint`'),
  requester: text(100).trim().default('').describe('who reported it (a name, a shop); no contact is kept'),
});
export type RaiseWorkOrderBody = z.infer<typeof raiseWorkOrderBody>;

export const raiseFromComplaintBody = raiseWorkOrderBody.omit({ channel: true }).extend({
  waitForIt: z
    .boolean()
    .default(false)
    .describe('the complaint waits on this work order: its deadlines pause until the work order is completed'),
});
export type RaiseFromComplaintBody = z.infer<typeof raiseFromComplaintBody>;

export const dispatchBody = z.strictObject({
  staffId: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .optional()
    .describe('assign by hand; left out, the dispatch rule chooses (trade, on duty, fewest open work orders)'),
});

export const arriveBody = z.strictObject({
  arrivedAt: z.iso.datetime({ offset: true }).optional().describe('when they got there; now by default'),
});

export const completeBody = z.strictObject({
  workDone: text(4000).trim().min(1).describe('what was done'),
  materials: z
    .array(
      z.strictObject({
        name: text(200).trim().min(1),
        quantity: z.number().positive().max(1_000_000),
        unit: text(20).trim().default(''),
      }),
    )
    .max(50)
    .default([]),
  photos: z
    .array(text(1000).trim().min(1))
    .max(20)
    .default([])
    .describe('photo references: attachment ids of the linked complaint or URLs'),
});

export const confirmBody = z.strictObject({
  fixed: z.boolean().default(true).describe('the requester says it is fixed; false sends it back to rework'),
  rating: z.number().int().min(1).max(5).describe('the requester’s rating, 1 (very dissatisfied) … 5 (very satisfied)'),
  feedback: text(2000).trim().default(''),
});

const list = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .optional()
    .transform((value) =>
      value
        ? value
            .split(',')
            .map((part) => part.trim())
            .filter(Boolean)
        : [],
    )
    .pipe(z.array(item));

export const listWorkOrdersQuery = z.strictObject({
  propertyId: list(z.string().min(1).max(64)),
  status: list(z.enum(WORK_ORDER_STATUSES)),
  trade: list(z.enum(TRADES)),
  assignedTo: z.string().min(1).max(64).optional().describe('`me` (a signed-in staff member) or a staff id'),
  overdue: z.enum(['true', 'false']).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListWorkOrdersQuery = z.infer<typeof listWorkOrdersQuery>;
