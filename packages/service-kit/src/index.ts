export * from './bootstrap';
export * from './domain-errors';
export * from './health';
export * from './messaging.module';
export * from './mongo-errors';
export * from './grpc-client';
export * from './actor';
export * from './directory-client';
