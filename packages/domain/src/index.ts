export * from './vocabulary';
export * from './lifecycle-actions';
