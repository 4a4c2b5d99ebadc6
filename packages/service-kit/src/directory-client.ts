import { v1 } from '@complaints/contracts';
import { GrpcServiceClient } from './grpc-client';

export interface DirectoryClientOptions {
  /** Intake's gRPC address: master data (properties, departments, staff) is intake's. */
  url: string;
  deadlineMs: number;
  /** How long a group's master data is reused before it is read again. */
  cacheMs: number;
}

/** Intake's master data over gRPC, read at most once per cache period per group. */
export class DirectoryClient extends GrpcServiceClient<v1.DirectoryServiceClient> {
  private readonly cache = new Map<string, { at: number; directory: Promise<v1.ListDirectoryResponse> }>();

  constructor(private readonly options: DirectoryClientOptions) {
    super({
      url: options.url,
      protoFile: 'complaints/v1/directory.proto',
      serviceName: v1.DIRECTORY_SERVICE_NAME,
      deadlineMs: options.deadlineMs,
      maxReconnectBackoffMs: 5_000,
    });
  }

  /** Read again next time: after a change this process must see at once (a deactivation). */
  forget(groupId: string): void {
    this.cache.delete(groupId);
  }

  async directory(groupId: string): Promise<v1.ListDirectoryResponse> {
    const cached = this.cache.get(groupId);
    if (cached && Date.now() - cached.at < this.options.cacheMs) return cached.directory;
    const directory = this.call.listDirectory({ groupId });
    this.cache.set(groupId, { at: Date.now(), directory });
    // A failed read must not be remembered.
    directory.catch(() => this.cache.delete(groupId));
    return directory;
  }
}
