import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { LifecycleState } from './types';

export const stateQuery = defineQuery<LifecycleState>('state');

/** The complainant withdrew (recorded by intake): the lifecycle ends, its timers with it. */
export const withdrawSignal = defineSignal<[{ reason: string }]>('withdraw');
