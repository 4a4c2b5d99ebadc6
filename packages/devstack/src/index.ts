export * from './platform';
export * from './testing';
