export * from './platform';
export * from './testing';
export * from './otlp-receiver';
export * from './staff-sign-in';
export * from './grpc-certificates';
export * from './nats-users';
