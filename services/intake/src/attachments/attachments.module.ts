import { Module } from '@nestjs/common';
import { ComplaintsModule } from '../complaints/complaints.module';
import { TimelineModule } from '../timeline/timeline.module';
import { AttachmentsGrpcController } from './attachments.grpc.controller';
import { AttachmentsStore } from './attachments.store';
import { ManageAttachments } from './use-cases/manage-attachments';

@Module({
  imports: [ComplaintsModule, TimelineModule],
  controllers: [AttachmentsGrpcController],
  providers: [AttachmentsStore, ManageAttachments],
})
export class AttachmentsModule {}
