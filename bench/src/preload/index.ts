import type { PreloadService } from './complaint';
import { preloadIntake } from './intake';
import { preloadNotification } from './notification';
import { preloadReporting } from './reporting';
import { preloadRouting } from './routing';

/**
 * Each service's preload, by service name (the database is `bench_<name>`): what that service
 * stores for a complaint. Escalation keeps a lifecycle in Temporal, not in its database.
 */
export const PRELOADS: Record<string, PreloadService> = {
  intake: preloadIntake,
  routing: preloadRouting,
  notification: preloadNotification,
  reporting: preloadReporting,
};
