import { Injectable } from '@nestjs/common';
import { v1 } from '@complaints/contracts';
import { GrpcServiceClient } from '@complaints/service-kit';
import { RoutingConfig } from '../config';

/** Intake's master data over gRPC, read at most once per cache period per group. */
@Injectable()
export class DirectoryClient extends GrpcServiceClient<v1.DirectoryServiceClient> {
  private readonly cache = new Map<string, { at: number; directory: Promise<v1.ListDirectoryResponse> }>();

  constructor(private readonly config: RoutingConfig) {
    super({
      url: config.intake.url,
      protoFile: 'complaints/v1/directory.proto',
      serviceName: v1.DIRECTORY_SERVICE_NAME,
      deadlineMs: config.intake.deadlineMs,
      maxReconnectBackoffMs: 5_000,
    });
  }

  async directory(groupId: string): Promise<v1.ListDirectoryResponse> {
    const cached = this.cache.get(groupId);
    if (cached && Date.now() - cached.at < this.config.directoryCacheMs) return cached.directory;
    const directory = this.call.listDirectory({ groupId });
    this.cache.set(groupId, { at: Date.now(), directory });
    // A failed read must not be remembered.
    directory.catch(() => this.cache.delete(groupId));
    return directory;
  }
}
