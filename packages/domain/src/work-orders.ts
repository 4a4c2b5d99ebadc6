import { z } from 'zod';

// Repair work orders (报修): the vocabulary the gateway, intake, escalation and the console share.

/** The trades a repair needs; maintenance staff list the ones they do (directory `trades`). */
export const TRADES = ['plumbing', 'electrical', 'hvac', 'lifts', 'civil', 'other'] as const;
export type Trade = (typeof TRADES)[number];
export const trade = z.enum(TRADES);

/** emergency: a hazard or a stopped service (lift, water, power); urgent: within the day; normal: planned. */
export const URGENCIES = ['emergency', 'urgent', 'normal'] as const;
export type Urgency = (typeof URGENCIES)[number];
export const urgency = z.enum(URGENCIES);

/** How a work order came in: a call to the repair line, the desk, online, or raised from a complaint. */
export const WORK_ORDER_CHANNELS = ['phone', 'desk', 'online', 'complaint'] as const;
export type WorkOrderChannel = (typeof WORK_ORDER_CHANNELS)[number];

/**
 * raised → dispatched → arrived → completed → confirmed. A requester who says it is not fixed
 * sends a completed work order back to dispatched (rework by the same person).
 */
export const WORK_ORDER_STATUSES = ['raised', 'dispatched', 'arrived', 'completed', 'confirmed'] as const;
export type WorkOrderStatus = (typeof WORK_ORDER_STATUSES)[number];
/** Still waiting on maintenance: what a linked complaint waits on and what counts as someone's load. */
export const OPEN_WORK_ORDER_STATUSES: readonly WorkOrderStatus[] = ['raised', 'dispatched', 'arrived'];

/** A second repair of the same unit and trade within this many days is a repeat repair (返修). */
export const REPEAT_REPAIR_DAYS = 90;
