import { defineQuery } from '@temporalio/workflow';
import type { LifecycleState } from './types';

export const stateQuery = defineQuery<LifecycleState>('state');
