import { loadEnv, port, z } from '@complaints/config';

const env = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  HTTP_PORT: port.default(8080),
  INTAKE_GRPC_URL: z.string().min(1).default('127.0.0.1:50051'),
  ESCALATION_GRPC_URL: z.string().min(1).default('127.0.0.1:50053'),
  DEFAULT_GROUP_ID: z.string().min(1).default('demo-group'),
});

export class GatewayConfig {
  readonly host: string;
  readonly httpPort: number;
  readonly grpc: { intake: string; escalation: string };
  readonly defaultGroupId: string;

  constructor(source: NodeJS.ProcessEnv = process.env) {
    const values = loadEnv(env, source);
    this.host = values.HOST;
    this.httpPort = values.HTTP_PORT;
    this.grpc = { intake: values.INTAKE_GRPC_URL, escalation: values.ESCALATION_GRPC_URL };
    this.defaultGroupId = values.DEFAULT_GROUP_ID;
  }
}
