import { serviceConfig, type ServiceConfig } from '@complaints/config';

export class RoutingConfig {
  readonly service: ServiceConfig;
  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.service = serviceConfig({ db: 'complaints_routing', httpPort: 8082, grpcPort: 50052 }, env);
  }
}
