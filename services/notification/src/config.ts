import { serviceConfig, type ServiceConfig } from '@complaints/config';

export class NotificationConfig {
  readonly service: ServiceConfig;
  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.service = serviceConfig({ db: 'complaints_notification', httpPort: 8084, grpcPort: 50054 }, env);
  }
}
