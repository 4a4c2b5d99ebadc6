export * from './subjects';
export * from './events';
export * from './dead-letters';
export * from './event-bus';
