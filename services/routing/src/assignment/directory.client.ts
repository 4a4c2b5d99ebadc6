import type { Provider } from '@nestjs/common';
import { DirectoryClient } from '@complaints/service-kit';
import { RoutingConfig } from '../config';

export { DirectoryClient };

/**
 * Departments and staff are read from intake once per `DIRECTORY_CACHE_MS` (30 s) per group, not
 * for every complaint: a staff member who just came on duty or moved is chosen up to that much
 * later, which only shifts who gets a complaint first; staff reassign by hand at any time.
 */
export const directoryClientProvider: Provider = {
  provide: DirectoryClient,
  inject: [RoutingConfig],
  useFactory: (config: RoutingConfig) => new DirectoryClient({ ...config.intake, cacheMs: config.directoryCacheMs }),
};
