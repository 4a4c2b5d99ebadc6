/**
 * Libraries the lifecycle workflow imports that hold no state of their own: each worker loads them
 * once for all its workflows (see `writeWorkflowBundle`). Code of this service stays per workflow.
 */
export const PRELOADED_MODULES = ['@complaints/domain', 'date-fns-tz'];
