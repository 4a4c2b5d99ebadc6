import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { LifecycleState } from './types';

export const stateQuery = defineQuery<LifecycleState>('state');

/** The complainant withdrew (recorded by intake): the lifecycle ends, its timers with it. */
/** The complaint is handled as part of another one (duplicate or collective member): its own lifecycle ends. */
export const mergeSignal = defineSignal<[{ intoComplaintId: string }]>('merge');

export const withdrawSignal = defineSignal<[{ reason: string }]>('withdraw');
