export * from './generated/complaints/v1/complaint';
export * from './generated/complaints/v1/events';
export * from './generated/complaints/v1/intake';
export * from './generated/complaints/v1/routing';
export * from './generated/complaints/v1/escalation';
export * from './generated/complaints/v1/notification';
export * from './generated/complaints/v1/reporting';
