import type { UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { LIFECYCLE_ACTION_NAMES, type LifecycleActionName, type Severity } from '@complaints/domain';
import type { ActionRequest, LifecycleState, StaffRef } from './types';

export const stateQuery = defineQuery<LifecycleState>('state');

/**
 * One update per staff action (SPEC §4), each with a validator in the workflow that refuses an
 * illegal transition or a too-low role with the reason; the result is the state afterwards.
 */
export const actionUpdates = Object.fromEntries(
  LIFECYCLE_ACTION_NAMES.map((name) => [name, defineUpdate<LifecycleState, [ActionRequest]>(name)]),
) as Record<LifecycleActionName, UpdateDefinition<LifecycleState, [ActionRequest]>>;

/** The complainant withdrew (recorded by intake): the lifecycle ends, its timers with it. */
export const withdrawSignal = defineSignal<[{ reason: string }]>('withdraw');

/** Handled as part of another complaint: the clocks pause until it is unmerged. */
export const mergeSignal = defineSignal<[{ intoComplaintId: string }]>('merge');

/**
 * Staff took the complaint out of its collective or duplicate parent (routing decided it): its
 * clocks run again. Ignored unless merged, so a late redelivery changes nothing.
 */
export const unmergeSignal = defineSignal<[{ actor: StaffRef | null; reason: string }]>('unmerge');

/** Staff changed the severity (routing's reclassification): deadlines are recomputed, time used is kept. */
export const severitySignal =
  defineSignal<[{ severity: Severity; actor: StaffRef | null; reason: string }]>('change_severity');

/** Routing gave the complaint to another handler. */
export const handlerSignal = defineSignal<[{ handler: StaffRef }]>('change_handler');

/** Where a complaint moved to (a corrected property), and who handles it there. */
export interface Move {
  propertyId: string;
  regionId: string;
  handler: StaffRef | null;
  propertyHead: StaffRef | null;
  actor: StaffRef | null;
  reason: string;
}

/** The complaint was registered at the wrong property and moved: the deadlines already running go on. */
export const moveSignal = defineSignal<[Move]>('move');
