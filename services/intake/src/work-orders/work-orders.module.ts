import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ComplaintsModule } from '../complaints/complaints.module';
import { DirectoryModule } from '../directory/directory.module';
import {
  ComplaintWorkOrders,
  ComplaintWorkOrdersSchema,
  MaintenanceLoad,
  MaintenanceLoadSchema,
  UnitRepairs,
  UnitRepairsSchema,
  WorkOrderRecord,
  WorkOrderSchema,
} from './work-order.schema';
import { WorkOrders } from './use-cases/work-orders';
import { WorkOrderEvents } from './work-order-events';
import { WorkOrdersGrpcController } from './work-orders.grpc.controller';
import { WorkOrdersRepository } from './work-orders.repository';

/** Repair work orders (报修). */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: WorkOrderRecord.name, schema: WorkOrderSchema },
      { name: ComplaintWorkOrders.name, schema: ComplaintWorkOrdersSchema },
      { name: UnitRepairs.name, schema: UnitRepairsSchema },
      { name: MaintenanceLoad.name, schema: MaintenanceLoadSchema },
    ]),
    ComplaintsModule,
    DirectoryModule,
  ],
  controllers: [WorkOrdersGrpcController],
  providers: [WorkOrdersRepository, WorkOrderEvents, WorkOrders],
})
export class WorkOrdersModule {}
