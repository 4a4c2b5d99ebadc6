import { loadEnv, serviceConfig, z, type ServiceConfig } from '@complaints/config';

export class RoutingConfig {
  readonly service: ServiceConfig;
  /** Master data (departments, staff) is intake's: read over gRPC. */
  readonly intake: { url: string; deadlineMs: number };
  /** How long master data read from intake is reused before it is read again. */
  readonly directoryCacheMs: number;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.service = serviceConfig({ db: 'complaints_routing', httpPort: 8082, grpcPort: 50052 }, env);
    const values = loadEnv(
      z.object({
        INTAKE_GRPC_URL: z.string().min(1).default('127.0.0.1:50051'),
        GRPC_DEADLINE_MS: z.coerce.number().int().positive().default(5000),
        DIRECTORY_CACHE_MS: z.coerce.number().int().min(0).default(30_000),
      }),
      env,
    );
    this.intake = { url: values.INTAKE_GRPC_URL, deadlineMs: values.GRPC_DEADLINE_MS };
    this.directoryCacheMs = values.DIRECTORY_CACHE_MS;
  }
}
