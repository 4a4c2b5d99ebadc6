import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CannedRepliesController } from './canned-replies.controller';
import { CannedRepliesRecord, CannedRepliesSchema } from './canned-replies.schema';

@Module({
  imports: [MongooseModule.forFeature([{ name: CannedRepliesRecord.name, schema: CannedRepliesSchema }])],
  controllers: [CannedRepliesController],
})
export class CannedRepliesModule {}
