import type { Provider } from '@nestjs/common';
import { DirectoryClient } from '@complaints/service-kit';
import { RoutingConfig } from '../config';

export { DirectoryClient };

export const directoryClientProvider: Provider = {
  provide: DirectoryClient,
  inject: [RoutingConfig],
  useFactory: (config: RoutingConfig) => new DirectoryClient({ ...config.intake, cacheMs: config.directoryCacheMs }),
};
