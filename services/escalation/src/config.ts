import { serviceConfig, type ServiceConfig } from '@complaints/config';

export class EscalationConfig {
  readonly service: ServiceConfig;
  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.service = serviceConfig({ db: 'complaints_escalation', httpPort: 8083, grpcPort: 50053 }, env);
  }
}
