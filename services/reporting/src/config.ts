import { serviceConfig, type ServiceConfig } from '@complaints/config';

export class ReportingConfig {
  readonly service: ServiceConfig;
  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.service = serviceConfig({ db: 'complaints_reporting', httpPort: 8085, grpcPort: 50055 }, env);
  }
}
