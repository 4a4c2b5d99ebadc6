export * from './vocabulary';
export * from './lifecycle-actions';
export * from './labels';
export * from './report-figures';
export * from './masking';
export * from './notification-vocabulary';
export * from './remedies';
