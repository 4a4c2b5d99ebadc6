import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { HealthModule } from '@complaints/service-kit';
import { ComplaintsController } from './complaints/complaints.controller';
import { GatewayConfig } from './config';
import { grpcClientProviders } from './grpc/grpc-clients';
import { ProblemDetailsFilter } from './problems/problem-details.filter';

@Module({})
export class AppModule {
  static register(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [HealthModule.register([])],
      controllers: [ComplaintsController],
      providers: [
        { provide: GatewayConfig, useValue: config },
        ...grpcClientProviders,
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }
}
