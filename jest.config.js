// One jest run for the whole monorepo: unit tests (*.spec.ts beside the code) and
// integration / end-to-end tests (test/*.spec.ts), all against the real servers that
// the global setup starts once (FerretDB, NATS JetStream, Temporal).
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/services', '<rootDir>/gateway', '<rootDir>/console'],
  // console/e2e: the staff console in Chromium (playwright-core) against the whole platform.
  testMatch: ['**/src/**/*.spec.ts', '**/test/**/*.spec.ts', '**/console/e2e/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  globalSetup: '<rootDir>/packages/devstack/dist/jest/global-setup.js',
  globalTeardown: '<rootDir>/packages/devstack/dist/jest/global-teardown.js',
  testTimeout: 120_000,
  // Two cores: one worker per core; the servers run beside them.
  maxWorkers: 2,
};
